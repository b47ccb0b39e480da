#pragma once

#include "common/Result.h"
#include "thumbs/HeifContainer.h"

#include <QByteArray>
#include <QRect>
#include <QSize>

#include <optional>
#include <vector>

namespace mt {

// A transform applied after decoding, in the order the item lists it (HEIF: clap, irot, imir).
struct HeifTransform {
    enum class Kind { RotateCcw, Mirror };
    Kind kind = Kind::RotateCcw;
    int quarterTurns = 0;    // RotateCcw: anticlockwise, in 90° steps
    bool horizontal = false; // Mirror: true = left/right swapped, false = top/bottom
};

// The colour description a colr 'nclx' box gives; absent means "ask the bitstream".
struct HeifNclx {
    int matrixCoefficients = 2; // ISO/IEC 23091-2; 2 = unspecified
    bool fullRange = false;
};

// How to rebuild the primary image from HEVC tiles: a grid of rows × columns equal tiles,
// cropped to the grid's output size, then to clap's window, then rotated/mirrored. A single
// hvc1 primary is the 1 × 1 case.
struct HeifGridPlan {
    int rows = 1;
    int columns = 1;
    QSize tileSize;
    QSize outputSize;  // the grid canvas, before clap
    QRect cropWindow;  // clap's window inside outputSize (all of it when there is no clap)
    std::vector<quint32> tiles; // row by row
    QByteArray hvcC;   // shared by every tile: one decoder configuration decodes them all
    std::vector<HeifTransform> transforms;
    std::optional<HeifNclx> nclx;

    // The upright size a viewer shows (after clap and rotation).
    QSize displaySize() const;
};

// Decides whether the primary image can be rebuilt from HEVC tiles by us, and how. Anything it
// does not fully understand (alpha, overlays, AV1, derived tiles, unknown essential properties,
// odd clap windows) is refused with a reason, so the caller falls back to libheif.
class HeifGridLayout {
public:
    // `device` is the file the container was read from: the grid descriptor is item data.
    static Result<HeifGridPlan> plan(const HeifContainer &container, QIODevice &device);
};

} // namespace mt
