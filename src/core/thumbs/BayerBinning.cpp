#include "thumbs/BayerBinning.h"

#include "thumbs/ExifOrientation.h"
#include "thumbs/ThumbnailSize.h"

#include <libraw/libraw.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace mt {

namespace {

struct Levels {
    std::array<float, 4> scale{}; // per colour: white balance / (white - black)
    unsigned black = 0;
    const unsigned *cblack = nullptr;
};

Levels levelsOf(const LibRaw &raw)
{
    const libraw_colordata_t &c = raw.imgdata.color;
    // The camera's white balance when it recorded one, else the daylight one (use_camera_wb).
    const bool camera = c.cam_mul[0] > 0 && c.cam_mul[1] > 0 && c.cam_mul[2] > 0;
    std::array<float, 4> mul{};
    for (int i = 0; i < 4; ++i)
        mul[size_t(i)] = camera ? c.cam_mul[i] : c.pre_mul[i];
    if (mul[3] <= 0)
        mul[3] = mul[1];
    const float smallest = std::max(1e-6f, *std::min_element(mul.begin(), mul.begin() + 3));
    Levels l;
    l.black = c.black;
    l.cblack = c.cblack;
    const float range = std::max(1.0f, float(c.maximum) - float(c.black));
    for (size_t i = 0; i < 4; ++i)
        l.scale[i] = mul[i] / smallest / range;
    return l;
}

// The sensor's colour index (0 R, 1 G, 2 B, 3 second G) at a visible position, as LibRaw's FC().
int colourAt(unsigned filters, int row, int col) { return int(filters >> ((((row << 1) & 14) | (col & 1)) << 1) & 3); }

unsigned blackAt(const Levels &l, int colour, int row, int col)
{
    unsigned black = l.black + l.cblack[colour];
    if (l.cblack[4] > 0 && l.cblack[5] > 0)
        black += l.cblack[6 + (unsigned(row) % l.cblack[4]) * l.cblack[5] + unsigned(col) % l.cblack[5]];
    return black;
}

// Camera RGB averaged over a block, white balanced and clipped as scale_colors does.
std::array<float, 3> binAt(const LibRaw &raw, const Levels &levels, int top, int left, int block)
{
    const libraw_image_sizes_t &s = raw.imgdata.sizes;
    const unsigned filters = raw.imgdata.idata.filters;
    const ushort *data = raw.imgdata.rawdata.raw_image;
    std::array<float, 4> sum{};
    std::array<int, 4> count{};
    for (int y = top; y < top + block; ++y) {
        const ushort *line = data + size_t(y + s.top_margin) * (s.raw_pitch / 2) + s.left_margin;
        for (int x = left; x < left + block; ++x) {
            const int c = colourAt(filters, y, x);
            sum[size_t(c)] += float(std::max(0, int(line[x]) - int(blackAt(levels, c, y, x))));
            ++count[size_t(c)];
        }
    }
    std::array<float, 4> mean{};
    for (size_t c = 0; c < 4; ++c)
        mean[c] = count[c] ? std::min(1.0f, sum[c] / float(count[c]) * levels.scale[c]) : 0.0f;
    // The second green joins the first, as for a three-colour camera.
    return {mean[0], count[3] ? (mean[1] + mean[3]) / 2 : mean[1], mean[2]};
}

// LibRaw's auto-brightness: the white point leaves 1 % of the values of the brightest channel clipped.
float whitePoint(const std::vector<float> &linear)
{
    constexpr int kBins = 0x2000;
    std::array<std::vector<int>, 3> histogram;
    for (auto &h : histogram)
        h.assign(kBins, 0);
    for (size_t i = 0; i < linear.size(); ++i)
        ++histogram[i % 3][size_t(std::clamp(int(linear[i] * (kBins - 1)), 0, kBins - 1))];
    const int allowed = int(linear.size() / 3 / 100);
    int white = 32;
    for (const auto &h : histogram) {
        int total = 0, level = kBins;
        while (--level > 32)
            if ((total += h[size_t(level)]) > allowed)
                break;
        white = std::max(white, level);
    }
    return float(white) / float(kBins - 1);
}

uchar bt709(float v)
{
    v = std::clamp(v, 0.0f, 1.0f);
    const float encoded = v < 0.018f ? 4.5f * v : 1.099f * std::pow(v, 0.45f) - 0.099f;
    return uchar(std::lround(encoded * 255.0f));
}

int exifOrientationOf(int flip) { return flip == 3 ? 3 : flip == 5 ? 8 : flip == 6 ? 6 : 1; }

} // namespace

std::optional<QImage> BayerBinning::thumbnail(const LibRaw &raw, int maxEdge)
{
    const libraw_image_sizes_t &s = raw.imgdata.sizes;
    const unsigned filters = raw.imgdata.idata.filters;
    // A 2×2 Bayer pattern (filters 1 is Leaf, 2 Fuji's rotated one, 9 X-Trans; 0 no mosaic).
    if (filters < 1000 || raw.imgdata.idata.colors != 3 || !raw.imgdata.rawdata.raw_image || s.width < 2 || s.height < 2)
        return std::nullopt;
    const QSize full(s.width, s.height);
    const QSize target = fitWithin(full, maxEdge);
    // The largest even block that still leaves at least the target's size.
    const int block = std::min(full.width() / target.width(), full.height() / target.height()) / 2 * 2;
    if (block < 2)
        return std::nullopt;
    const QSize binned(full.width() / block, full.height() / block);
    const Levels levels = levelsOf(raw);
    const auto &rgbCam = raw.imgdata.color.rgb_cam;
    std::vector<float> linear(size_t(binned.width()) * binned.height() * 3);
    for (int by = 0; by < binned.height(); ++by) {
        for (int bx = 0; bx < binned.width(); ++bx) {
            const std::array<float, 3> cam = binAt(raw, levels, by * block, bx * block, block);
            float *out = linear.data() + (size_t(by) * binned.width() + bx) * 3;
            for (int i = 0; i < 3; ++i)
                out[i] = std::clamp(rgbCam[i][0] * cam[0] + rgbCam[i][1] * cam[1] + rgbCam[i][2] * cam[2], 0.0f, 1.0f);
        }
    }
    const float white = std::max(whitePoint(linear), 1e-3f);
    QImage image(binned, QImage::Format_RGB888);
    for (int y = 0; y < binned.height(); ++y) {
        uchar *line = image.scanLine(y);
        const float *in = linear.data() + size_t(y) * binned.width() * 3;
        for (int i = 0; i < binned.width() * 3; ++i)
            line[i] = bt709(in[i] / white);
    }
    const QSize wanted = fitWithin(binned, maxEdge);
    if (wanted != binned)
        image = image.scaled(wanted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return applyExifOrientation(image.convertToFormat(QImage::Format_RGB32), exifOrientationOf(s.flip));
}

} // namespace mt
