#include "thumbs/HeifTileScaler.h"

#include <QCoreApplication>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

// Output index of every canvas position along one axis: area bins of the window.
std::vector<int> binMap(int canvas, int windowStart, int windowLength, int target)
{
    std::vector<int> map(size_t(canvas), -1);
    for (int i = 0; i < windowLength; ++i)
        map[size_t(windowStart + i)] = int(qint64(i) * target / windowLength);
    return map;
}

// How many samples (every 2^shift-th canvas position, as subsampled chroma lies) land in each bin.
std::vector<uint32_t> binCounts(const std::vector<int> &map, int target, int shift)
{
    std::vector<uint32_t> counts(size_t(target), 0);
    for (size_t i = 0; i < map.size(); i += size_t(1) << shift)
        if (map[i] >= 0)
            ++counts[size_t(map[i])];
    return counts;
}

struct Coefficients {
    double kr, kb;
};

Coefficients coefficients(int matrix)
{
    switch (matrix) {
    case 1: return {0.2126, 0.0722};  // BT.709
    case 9:
    case 10: return {0.2627, 0.0593}; // BT.2020
    default: return {0.299, 0.114};   // BT.601 (5, 6), and what libheif assumes when unspecified
    }
}

uchar toByte(double v) { return uchar(std::clamp(std::lround(v * 255.0), 0L, 255L)); }

} // namespace

HeifTileScaler::HeifTileScaler(QSize canvas, QRect window, QSize target)
    : m_canvas(canvas), m_window(window), m_target(target)
{
    m_xmap = binMap(canvas.width(), window.x(), window.width(), target.width());
    m_ymap = binMap(canvas.height(), window.y(), window.height(), target.height());
    for (auto &sums : m_sums)
        sums.assign(size_t(target.width()) * size_t(target.height()), 0);
}

Status HeifTileScaler::adoptFormat(const AVFrame &frame)
{
    if (m_format == frame.format)
        return Done{};
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(AVPixelFormat(frame.format));
    if (m_format != -1 || !desc || (desc->flags & (AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL))
        || !(desc->flags & AV_PIX_FMT_FLAG_PLANAR) || (desc->nb_components != 1 && desc->nb_components != 3)
        || desc->comp[0].depth > 16)
        return makeError(Error::Code::UnsupportedFormat, tr("HEIF tiles in an unexpected pixel format"));
    m_format = frame.format;
    m_depth = desc->comp[0].depth;
    m_grey = desc->nb_components == 1;
    m_shiftX = desc->log2_chroma_w;
    m_shiftY = desc->log2_chroma_h;
    m_xcount[0] = binCounts(m_xmap, m_target.width(), 0);
    m_ycount[0] = binCounts(m_ymap, m_target.height(), 0);
    m_xcount[1] = binCounts(m_xmap, m_target.width(), m_shiftX);
    m_ycount[1] = binCounts(m_ymap, m_target.height(), m_shiftY);
    return Done{};
}

Status HeifTileScaler::addTile(const AVFrame &frame, QPoint origin, QSize visible)
{
    if (Status s = adoptFormat(frame); !s)
        return s;
    if (frame.width < visible.width() || frame.height < visible.height())
        return makeError(Error::Code::Corrupt, tr("a HEIF tile decoded smaller than declared"));
    // Subsampled chroma must line up across tiles, as it does for every even-sized tile.
    if (origin.x() % (1 << m_shiftX) || origin.y() % (1 << m_shiftY))
        return makeError(Error::Code::UnsupportedFormat, tr("HEIF tiles of odd size with subsampled chroma"));
    if (m_depth > 8)
        accumulate<uint16_t>(frame, origin, visible);
    else
        accumulate<uint8_t>(frame, origin, visible);
    return Done{};
}

template <typename Sample>
void HeifTileScaler::accumulate(const AVFrame &frame, QPoint origin, QSize visible)
{
    const QRect tile(origin, visible);
    accumulatePlane<Sample>(frame.data[0], frame.linesize[0], tile, 0, 0, m_sums[0], 0);
    if (m_grey)
        return;
    for (int p = 1; p <= 2; ++p)
        accumulatePlane<Sample>(frame.data[p], frame.linesize[p], tile, m_shiftX, m_shiftY, m_sums[p], p);
}

template <typename Sample>
void HeifTileScaler::accumulatePlane(const uint8_t *data, int stride, QRect tile, int shiftX, int shiftY,
                                     std::vector<uint64_t> &sums, int) const
{
    const int columns = (tile.width() + (1 << shiftX) - 1) >> shiftX;
    const int rows = (tile.height() + (1 << shiftY) - 1) >> shiftY;
    // Only the columns inside both the canvas and the window contribute; find them once per tile.
    const int lastX = std::min(columns, (m_canvas.width() - tile.x() + (1 << shiftX) - 1) >> shiftX);
    for (int r = 0; r < rows; ++r) {
        const int y = tile.y() + (r << shiftY);
        if (y >= m_canvas.height())
            break;
        const int oy = m_ymap[size_t(y)];
        if (oy < 0)
            continue;
        const auto *row = reinterpret_cast<const Sample *>(data + qptrdiff(r) * stride);
        uint64_t *out = sums.data() + size_t(oy) * size_t(m_target.width());
        const int *xmap = m_xmap.data() + tile.x();
        for (int c = 0; c < lastX; ++c) {
            const int ox = xmap[c << shiftX];
            if (ox >= 0)
                out[ox] += row[c];
        }
    }
}

Result<QImage> HeifTileScaler::toImage(YcbcrEncoding encoding) const
{
    QImage image(m_target, QImage::Format_RGB32);
    if (image.isNull())
        return makeError(Error::Code::Internal, tr("out of memory for the thumbnail"));
    const double maxValue = double((1 << m_depth) - 1), scale = double(1 << (m_depth - 8));
    // Limited range: Y in 16..235 and C in 16..240 (scaled to the bit depth); full: 0..max.
    const double yOffset = encoding.fullRange ? 0.0 : 16.0 * scale;
    const double yRange = encoding.fullRange ? maxValue : 219.0 * scale;
    const double cRange = encoding.fullRange ? maxValue : 224.0 * scale;
    const double cMid = 128.0 * scale;
    const auto [kr, kb] = coefficients(encoding.matrixCoefficients);
    const double kg = 1.0 - kr - kb;
    const size_t width = size_t(m_target.width());
    for (int oy = 0; oy < m_target.height(); ++oy) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(oy));
        for (size_t ox = 0; ox < width; ++ox) {
            const size_t i = size_t(oy) * width + ox;
            const double lumaCount = double(m_xcount[0][ox]) * m_ycount[0][size_t(oy)];
            const double chromaCount = m_grey ? 0.0 : double(m_xcount[1][ox]) * m_ycount[1][size_t(oy)];
            const double y = (m_sums[0][i] / std::max(lumaCount, 1.0) - yOffset) / yRange;
            const double cb = chromaCount > 0 ? (m_sums[1][i] / chromaCount - cMid) / cRange : 0.0;
            const double cr = chromaCount > 0 ? (m_sums[2][i] / chromaCount - cMid) / cRange : 0.0;
            const double r = y + 2.0 * (1.0 - kr) * cr;
            const double b = y + 2.0 * (1.0 - kb) * cb;
            const double g = y - (2.0 * kb * (1.0 - kb) * cb + 2.0 * kr * (1.0 - kr) * cr) / kg;
            line[ox] = qRgb(toByte(r), toByte(g), toByte(b));
        }
    }
    return image;
}

} // namespace mt
