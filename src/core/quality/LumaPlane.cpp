#include "quality/LumaPlane.h"

#include <algorithm>

namespace mt::quality {

LumaPlane LumaPlane::fromImage(const QImage &source)
{
    LumaPlane plane;
    if (source.isNull())
        return plane;
    const QImage image = source.format() == QImage::Format_RGB32 || source.format() == QImage::Format_ARGB32
        ? source
        : source.convertToFormat(QImage::Format_RGB32);
    plane.width = image.width();
    plane.height = image.height();
    plane.values.resize(size_t(plane.width) * size_t(plane.height));
    for (int y = 0; y < plane.height; ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        float *out = plane.values.data() + size_t(y) * size_t(plane.width);
        for (int x = 0; x < plane.width; ++x)
            out[x] = 0.299f * float(qRed(line[x])) + 0.587f * float(qGreen(line[x])) + 0.114f * float(qBlue(line[x]));
    }
    return plane;
}

LumaPlane LumaPlane::resampled(int w, int h) const
{
    LumaPlane out;
    if (empty() || w <= 0 || h <= 0)
        return out;
    out.width = w;
    out.height = h;
    out.values.assign(size_t(w) * size_t(h), 0.0f);
    // Each target cell averages the source pixels whose centres fall into it; a source smaller
    // than the target repeats pixels (nearest), which is all a tiny stub image deserves.
    for (int ty = 0; ty < h; ++ty) {
        const int y0 = ty * height / h;
        const int y1 = std::max(y0 + 1, (ty + 1) * height / h);
        for (int tx = 0; tx < w; ++tx) {
            const int x0 = tx * width / w;
            const int x1 = std::max(x0 + 1, (tx + 1) * width / w);
            double sum = 0;
            for (int y = y0; y < y1; ++y)
                for (int x = x0; x < x1; ++x)
                    sum += at(x, y);
            out.values[size_t(ty) * size_t(w) + size_t(tx)] = float(sum / double((y1 - y0) * (x1 - x0)));
        }
    }
    return out;
}

} // namespace mt::quality
