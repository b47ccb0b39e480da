#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QImage>
#include <QSize>
#include <QString>

namespace mt {

// The fast path for HEVC-coded HEIC (phones' grids of 512 px tiles, Samsung's 200 MP mode):
// parses the container itself (HeifContainer, HeifGridLayout), decodes tile after tile with
// FFmpeg (HeifTileDecoder) and shrinks each straight into the thumbnail (HeifTileScaler), so
// memory stays near the thumbnail's size however large the photo; then applies clap, irot and
// imir as libheif would. Files it does not fully handle are refused with an error, and the
// caller decodes them through libheif instead.
class HeifGridThumbnailer {
public:
    // `maxEdge` limits the upright image's longest edge (never enlarged).
    static Result<QImage> thumbnail(const QString &path, int maxEdge, const CancellationToken &token);
};

} // namespace mt
