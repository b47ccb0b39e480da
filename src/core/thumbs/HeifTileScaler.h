#pragma once

#include "common/Result.h"

#include <QImage>
#include <QPoint>
#include <QRect>
#include <QSize>

#include <cstdint>
#include <vector>

struct AVFrame;

namespace mt {

// YCbCr → RGB as a HEVC stream or colr 'nclx' box describes it.
struct YcbcrEncoding {
    int matrixCoefficients = 6; // ISO/IEC 23091-2 (1 = BT.709, 5/6 = BT.601, 9/10 = BT.2020)
    bool fullRange = false;
};

// Shrinks a tiled image into a small one without the full-size image ever existing: each decoded
// tile's samples are summed straight into the output pixel they fall in (area averaging over the
// whole canvas, so tile borders leave no seam), and only the final small image is converted to
// RGB. Averaging Y, Cb and Cr before the (affine) conversion gives the same colours as
// converting first, at a fraction of the work. 8- to 16-bit planar YUV and greyscale tiles.
class HeifTileScaler {
public:
    // `window` is the part of the canvas kept (clap), `target` the size it shrinks to (never larger).
    HeifTileScaler(QSize canvas, QRect window, QSize target);

    // Adds a decoded tile whose top-left corner sits at `origin` on the canvas; `visible` is the
    // tile's coded picture size as the container declares it (the decoder may pad beyond it).
    Status addTile(const AVFrame &frame, QPoint origin, QSize visible);

    // False when a bin would gather so many samples that its 32-bit sum could overflow (a
    // thumbnail thousands of times smaller than its source); the caller then takes another path.
    bool fits() const;

    Result<QImage> toImage(YcbcrEncoding encoding) const;

private:
    template <typename Sample>
    void accumulate(const AVFrame &frame, QPoint origin, QSize visible);
    template <typename Sample>
    void accumulatePlane(const uint8_t *data, int stride, QRect tileRect, int plane,
                         std::vector<uint32_t> &sums) const;
    Status adoptFormat(const AVFrame &frame);

    QSize m_canvas;
    QRect m_window;
    QSize m_target;
    // Canvas column/row → output column/row (-1 outside the window), for luma [0] and for the
    // subsampled chroma grid [1]: each plane is binned on its own grid, so no bin misses chroma
    // when the image shrinks by less than the subsampling factor.
    std::vector<int> m_xmap[2], m_ymap[2];
    std::vector<uint32_t> m_xcount[2], m_ycount[2]; // samples per output column/row
    // Where an output column/row takes its chroma from: itself, or the nearest bin that got
    // chroma (only when enlarging chroma, i.e. shrinking the image by less than 2×).
    std::vector<int> m_xchroma, m_ychroma;
    std::vector<uint32_t> m_sums[3]; // 32 bits: half the memory to clear and touch; see fits()
    int m_format = -1;
    int m_depth = 8;
    int m_shiftX = 0, m_shiftY = 0;
    bool m_grey = false;
};

} // namespace mt
