#pragma once

#include <QSize>

#include <algorithm>
#include <array>
#include <cmath>

namespace mt {

// The freedesktop Thumbnail Managing Standard's sizes (longest edge, pixels) and folder names.
struct ThumbnailFlavor {
    int size;
    const char *folder;
};
inline constexpr std::array<ThumbnailFlavor, 4> kThumbnailFlavors{{
    {128, "normal"}, {256, "large"}, {512, "x-large"}, {1024, "xx-large"},
}};
inline constexpr int kMaxThumbnailSize = 1024;

inline bool isStandardThumbnailSize(int size)
{
    return std::any_of(kThumbnailFlavors.begin(), kThumbnailFlavors.end(),
                       [size](const ThumbnailFlavor &f) { return f.size == size; });
}

// The size an image of `source` pixels gets when its longest edge is limited to `maxEdge`,
// aspect kept. Never larger than the source: an upscaled thumbnail only costs memory and looks
// blurry, and the grid centres small images anyway.
inline QSize fitWithin(QSize source, int maxEdge)
{
    if (source.isEmpty() || maxEdge <= 0)
        return {};
    const int longest = std::max(source.width(), source.height());
    if (longest <= maxEdge)
        return source;
    const double scale = double(maxEdge) / longest;
    return QSize(std::max(1, int(std::lround(source.width() * scale))),
                 std::max(1, int(std::lround(source.height() * scale))));
}

} // namespace mt
