#pragma once

#include <QImage>

#include <vector>

namespace mt::quality {

// Brightness of an image as floats (0..255, Rec. 601 weights on the stored sRGB values), the one
// representation every signal is measured on.
struct LumaPlane {
    int width = 0;
    int height = 0;
    std::vector<float> values; // row-major

    float at(int x, int y) const { return values[size_t(y) * size_t(width) + size_t(x)]; }
    bool empty() const { return width <= 0 || height <= 0; }

    static LumaPlane fromImage(const QImage &image);
    // Area-average resampling to exactly `w`×`h` (for hashes and fingerprints; shrinking only).
    LumaPlane resampled(int w, int h) const;
};

} // namespace mt::quality
