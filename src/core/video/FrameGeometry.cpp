#include "video/FrameGeometry.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mt {

Size2 uprightOutputSize(Size2 coded, AVRational sampleAspect, int rotationClockwise, int maxLongEdge)
{
    double width = coded.width;
    const double height = coded.height;
    // Anamorphic sources are stored squeezed; the picture people see is width × SAR.
    if (sampleAspect.num > 0 && sampleAspect.den > 0)
        width = width * sampleAspect.num / sampleAspect.den;
    double w = width, h = height;
    if (rotationClockwise == 90 || rotationClockwise == 270)
        std::swap(w, h);
    const double longest = std::max(w, h);
    const double scale = (maxLongEdge > 0 && longest > maxLongEdge) ? maxLongEdge / longest : 1.0;
    // Rounding down to even keeps both edges within the bound and never above the source.
    auto even = [](double v) { return std::max(2, int(std::floor(v + 1e-6)) & ~1); };
    return {even(w * scale), even(h * scale)};
}

static void rotatePlane(const uint8_t *src, int srcStride, int srcW, int srcH, uint8_t *dst, int dstStride,
                        int rotationClockwise)
{
    // Loops run over destination rows so writes stay sequential.
    if (rotationClockwise == 180) {
        for (int y = 0; y < srcH; ++y) {
            const uint8_t *s = src + ptrdiff_t(srcH - 1 - y) * srcStride;
            uint8_t *d = dst + ptrdiff_t(y) * dstStride;
            for (int x = 0; x < srcW; ++x)
                d[x] = s[srcW - 1 - x];
        }
        return;
    }
    // 90/270: the destination is srcH wide and srcW tall.
    for (int y = 0; y < srcW; ++y) {
        uint8_t *d = dst + ptrdiff_t(y) * dstStride;
        if (rotationClockwise == 90) {
            // dst(x, y) = src(y, srcH - 1 - x)
            const uint8_t *s = src + y;
            for (int x = 0; x < srcH; ++x)
                d[x] = s[ptrdiff_t(srcH - 1 - x) * srcStride];
        } else {
            // dst(x, y) = src(srcW - 1 - y, x)
            const uint8_t *s = src + (srcW - 1 - y);
            for (int x = 0; x < srcH; ++x)
                d[x] = s[ptrdiff_t(x) * srcStride];
        }
    }
}

void rotateYuv420(const AVFrame &src, AVFrame &dst, int rotationClockwise)
{
    for (int plane = 0; plane < 3; ++plane) {
        const int w = plane == 0 ? src.width : (src.width + 1) / 2;
        const int h = plane == 0 ? src.height : (src.height + 1) / 2;
        rotatePlane(src.data[plane], src.linesize[plane], w, h, dst.data[plane], dst.linesize[plane],
                    rotationClockwise);
    }
}

} // namespace mt
