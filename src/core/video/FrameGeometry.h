#pragma once

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/rational.h>
}

namespace mt {

struct Size2 {
    int width = 0;
    int height = 0;
    bool operator==(const Size2 &) const = default;
};

// Size of the upright output picture for a coded picture of `coded` pixels with the given
// sample aspect ratio and clockwise display rotation: the longest edge bounded by `maxLongEdge`,
// aspect ratio kept, both dimensions even (encoders need 4:2:0 chroma to divide evenly), never
// larger than the source.
Size2 uprightOutputSize(Size2 coded, AVRational sampleAspect, int rotationClockwise, int maxLongEdge);

// Rotates a YUV 4:2:0 frame clockwise by 90, 180 or 270 degrees into `dst`, which must already be
// allocated with the rotated dimensions. Done on the small, already scaled picture, so plain
// loops cost far less than the encoder.
void rotateYuv420(const AVFrame &src, AVFrame &dst, int rotationClockwise);

} // namespace mt
