#include "thumbs/HeifTileScaler.h"

#include <QCoreApplication>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <limits>

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

// The same on a grid subsampled by 2^shift: the window's edges rounded outwards.
std::vector<int> subsampledBinMap(int canvas, int windowStart, int windowLength, int target, int shift)
{
    const int first = windowStart >> shift;
    const int end = (windowStart + windowLength + (1 << shift) - 1) >> shift;
    return binMap((canvas + (1 << shift) - 1) >> shift, first, end - first, target);
}

std::vector<uint32_t> binCounts(const std::vector<int> &map, int target)
{
    std::vector<uint32_t> counts(size_t(target), 0);
    for (int bin : map)
        if (bin >= 0)
            ++counts[size_t(bin)];
    return counts;
}

// For each bin, the nearest bin (itself first) that has samples.
std::vector<int> nearestFilled(const std::vector<uint32_t> &counts)
{
    std::vector<int> source(counts.size(), -1);
    int last = -1;
    for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i])
            last = int(i);
        source[i] = last;
    }
    int next = -1;
    for (size_t i = counts.size(); i-- > 0;) {
        if (counts[i])
            next = int(i);
        if (source[i] < 0 || (next >= 0 && next - int(i) < int(i) - source[i]))
            source[i] = next;
    }
    return source;
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

int toByte(double v) { return std::clamp(int(v * 255.0 + 0.5), 0, 255); }

} // namespace

HeifTileScaler::HeifTileScaler(QSize canvas, QRect window, QSize target)
    : m_canvas(canvas), m_window(window), m_target(target)
{
    m_xmap[0] = binMap(canvas.width(), window.x(), window.width(), target.width());
    m_ymap[0] = binMap(canvas.height(), window.y(), window.height(), target.height());
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
    m_xmap[1] = subsampledBinMap(m_canvas.width(), m_window.x(), m_window.width(), m_target.width(), m_shiftX);
    m_ymap[1] = subsampledBinMap(m_canvas.height(), m_window.y(), m_window.height(), m_target.height(), m_shiftY);
    for (int p = 0; p < 2; ++p) {
        m_xcount[p] = binCounts(m_xmap[p], m_target.width());
        m_ycount[p] = binCounts(m_ymap[p], m_target.height());
    }
    m_xchroma = nearestFilled(m_xcount[1]);
    m_ychroma = nearestFilled(m_ycount[1]);
    return Done{};
}

bool HeifTileScaler::fits() const
{
    const auto widest = [](const std::vector<int> &map, int target) {
        const auto counts = binCounts(map, target);
        return counts.empty() ? 0u : *std::max_element(counts.begin(), counts.end());
    };
    const quint64 samples = quint64(widest(m_xmap[0], m_target.width())) * widest(m_ymap[0], m_target.height());
    return samples * 65535u <= std::numeric_limits<uint32_t>::max();
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
    accumulatePlane<Sample>(frame.data[0], frame.linesize[0], tile, 0, m_sums[0]);
    if (m_grey)
        return;
    for (int p = 1; p <= 2; ++p)
        accumulatePlane<Sample>(frame.data[p], frame.linesize[p], tile, 1, m_sums[p]);
}

template <typename Sample>
void HeifTileScaler::accumulatePlane(const uint8_t *data, int stride, QRect tile, int plane,
                                     std::vector<uint32_t> &sums) const
{
    const int shiftX = plane ? m_shiftX : 0, shiftY = plane ? m_shiftY : 0;
    const std::vector<int> &xmap = m_xmap[plane], &ymap = m_ymap[plane];
    const int x0 = tile.x() >> shiftX, y0 = tile.y() >> shiftY;
    // Tiles may reach past the canvas (the grid is cropped to its output size): stop at its edge.
    const int columns = std::min((tile.width() + (1 << shiftX) - 1) >> shiftX, int(xmap.size()) - x0);
    const int rows = std::min((tile.height() + (1 << shiftY) - 1) >> shiftY, int(ymap.size()) - y0);
    if (columns <= 0 || rows <= 0)
        return; // a spare tile wholly outside the grid's output
    for (int r = 0; r < rows; ++r) {
        const int oy = ymap[size_t(y0 + r)];
        if (oy < 0)
            continue;
        const auto *row = reinterpret_cast<const Sample *>(data + qptrdiff(r) * stride);
        uint32_t *out = sums.data() + size_t(oy) * size_t(m_target.width());
        const int *map = xmap.data() + x0;
        for (int c = 0; c < columns; ++c) {
            const int ox = map[c];
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
            const int cx = m_xchroma[ox], cy = m_ychroma[size_t(oy)];
            const bool chroma = !m_grey && cx >= 0 && cy >= 0;
            const size_t ci = chroma ? size_t(cy) * width + size_t(cx) : 0;
            const double chromaCount = chroma ? double(m_xcount[1][size_t(cx)]) * m_ycount[1][size_t(cy)] : 0.0;
            const double y = (double(m_sums[0][i]) / std::max(lumaCount, 1.0) - yOffset) / yRange;
            const double cb = chroma ? (double(m_sums[1][ci]) / chromaCount - cMid) / cRange : 0.0;
            const double cr = chroma ? (double(m_sums[2][ci]) / chromaCount - cMid) / cRange : 0.0;
            const double r = y + 2.0 * (1.0 - kr) * cr;
            const double b = y + 2.0 * (1.0 - kb) * cb;
            const double g = y - (2.0 * kb * (1.0 - kb) * cb + 2.0 * kr * (1.0 - kr) * cr) / kg;
            line[ox] = qRgb(toByte(r), toByte(g), toByte(b));
        }
    }
    return image;
}

} // namespace mt
