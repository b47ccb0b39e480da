#pragma once

#include <QImage>
#include <QSize>

#include <optional>

class LibRaw;

namespace mt {

// A thumbnail straight from a Bayer RAW's unpacked sensor data: each output pixel averages an
// even-sized block of sensor pixels per colour, then white balance, the camera-to-sRGB matrix,
// LibRaw's auto-brightness (1 % of pixels may clip) and a BT.709 curve, as dcraw_process would.
// It needs no full-size or half-size RGB copy of the picture (a 100 MP RAW's half-size image is
// 200 MB of 16-bit RGBG, its 8-bit bitmap 75 MB more), so memory stays the unpacked sensor data.
// nullopt when the RAW is not a 2×2 Bayer mosaic (linear DNG, X-Trans, Foveon) or is too small
// to bin for `maxEdge`: the caller decodes it with dcraw_process instead.
class BayerBinning {
public:
    static std::optional<QImage> thumbnail(const LibRaw &raw, int maxEdge);
};

} // namespace mt
