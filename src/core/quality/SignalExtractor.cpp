#include "quality/SignalExtractor.h"

#include "quality/LumaPlane.h"
#include "quality/PerceptualHash.h"
#include "thumbs/ThumbnailGenerator.h"
#include "thumbs/ThumbnailSize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace mt::quality {

namespace {

// Brightness thresholds of the exposure fractions: 3% and 97% of full scale.
constexpr int kNearBlackLevel = 8;   // < 8/255
constexpr int kNearWhiteLevel = 248; // >= 248/255

// Half-width of the re-blur (a 9-tap box, as in Crété-Roffet's no-reference blur metric). At
// 480 px this is ~1% of the frame: a sharp edge loses most of its step to it, an edge already
// spread over 8+ pixels loses almost nothing.
constexpr int kReblurRadius = 4;
// Neighbour differences up to this many levels are treated as noise or JPEG ringing, not detail:
// the downscale to 480 px averages sensor noise to well below it.
constexpr float kNoiseLevel = 1.0f;
// A tile has structure when its neighbour differences above noise average this many levels per
// pixel; flat sky, walls and pocket fabric stay below, any textured or edged area is far above.
// (Total variation survives blur, so a defocused tile still has structure: it just scores low.)
constexpr double kStructureFloor = 0.6;
// Tile sharpness above which a tile counts as sharp (0..100): sharp camera detail scores 45–70 on
// the benchmark set, strong defocus under 20.
constexpr double kSharpTileScore = 35.0;
// A gradient this strong (levels over 2 px, both axes summed) marks a clear edge.
constexpr float kEdgeGradient = 24.0f;
// Target tile edge in analysis pixels: ~8×6 tiles on a 480×360 decode, enough for a portrait
// subject to own several tiles.
constexpr int kTileEdge = 60;

struct TileSums {
    double detailH = 0, lostH = 0; // neighbour differences along rows, and what the re-blur removes
    double detailV = 0, lostV = 0; // the same along columns
    int pixels = 0;
};

// Along one line of `count` samples (stride `step`), adds each difference and what re-blurring
// removes from it to the tile the sample falls in.
template <typename TileOf>
void accumulateLine(const float *line, int count, int step, std::vector<double> &prefix, TileOf tileOf, bool horizontal)
{
    prefix.assign(size_t(count) + 1, 0.0);
    for (int i = 0; i < count; ++i)
        prefix[size_t(i) + 1] = prefix[size_t(i)] + line[size_t(i) * size_t(step)];
    auto blurred = [&](int i) {
        const int lo = std::max(0, i - kReblurRadius);
        const int hi = std::min(count - 1, i + kReblurRadius);
        return float((prefix[size_t(hi) + 1] - prefix[size_t(lo)]) / double(hi - lo + 1));
    };
    float previousBlur = blurred(0);
    for (int i = 1; i < count; ++i) {
        const float blur = blurred(i);
        const float d = std::max(0.0f, std::abs(line[size_t(i) * size_t(step)] - line[size_t(i - 1) * size_t(step)]) - kNoiseLevel);
        const float db = std::max(0.0f, std::abs(blur - previousBlur) - kNoiseLevel);
        previousBlur = blur;
        TileSums &tile = tileOf(i);
        if (horizontal) {
            tile.detailH += d;
            tile.lostH += std::max(0.0f, d - db);
        } else {
            tile.detailV += d;
            tile.lostV += std::max(0.0f, d - db);
        }
    }
}

struct Sharpness {
    double global = 0;
    double regional = 0;
    double sharpFraction = 0;
    double detailFraction = 0;
    double motion = 0;
};

Sharpness measureSharpness(const LumaPlane &luma)
{
    Sharpness result;
    const int w = luma.width, h = luma.height;
    const int tilesX = std::max(1, (w + kTileEdge / 2) / kTileEdge);
    const int tilesY = std::max(1, (h + kTileEdge / 2) / kTileEdge);
    std::vector<TileSums> tiles(size_t(tilesX) * size_t(tilesY));
    auto tileIndex = [&](int x, int y) {
        return size_t(std::min(tilesY - 1, y * tilesY / h)) * size_t(tilesX) + size_t(std::min(tilesX - 1, x * tilesX / w));
    };
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            ++tiles[tileIndex(x, y)].pixels;
    std::vector<double> prefix;
    for (int y = 0; y < h; ++y)
        accumulateLine(luma.values.data() + size_t(y) * size_t(w), w, 1, prefix,
                       [&](int x) -> TileSums & { return tiles[tileIndex(x, y)]; }, true);
    for (int x = 0; x < w; ++x)
        accumulateLine(luma.values.data() + x, h, w, prefix,
                       [&](int y) -> TileSums & { return tiles[tileIndex(x, y)]; }, false);

    double detailH = 0, lostH = 0, detailV = 0, lostV = 0;
    std::vector<double> scores;
    for (const TileSums &t : tiles) {
        const double n = std::max(1, t.pixels);
        const bool hasH = t.detailH / n >= kStructureFloor;
        const bool hasV = t.detailV / n >= kStructureFloor;
        if (!hasH && !hasV)
            continue;
        // Blur along one axis only (camera shake) must not hide behind the other axis' detail.
        double score = 100.0;
        if (hasH)
            score = std::min(score, 100.0 * t.lostH / t.detailH);
        if (hasV)
            score = std::min(score, 100.0 * t.lostV / t.detailV);
        scores.push_back(score);
        detailH += t.detailH;
        lostH += t.lostH;
        detailV += t.detailV;
        lostV += t.lostV;
    }
    result.detailFraction = double(scores.size()) / double(tiles.size());
    if (scores.empty())
        return result;
    const double sharpH = detailH > 0 ? 100.0 * lostH / detailH : 100.0;
    const double sharpV = detailV > 0 ? 100.0 * lostV / detailV : 100.0;
    result.global = std::min(sharpH, sharpV);
    result.motion = std::max(sharpH, sharpV) > 0 ? 1.0 - std::min(sharpH, sharpV) / std::max(sharpH, sharpV) : 0.0;
    std::sort(scores.begin(), scores.end(), std::greater<>());
    // The sharpest ~10% of the tiles with structure, at least two so one noisy tile cannot
    // vouch for a blurred picture.
    const size_t top = std::min(scores.size(), std::max<size_t>(2, (scores.size() + 9) / 10));
    double sum = 0;
    for (size_t i = 0; i < top; ++i)
        sum += scores[i];
    result.regional = sum / double(top);
    result.sharpFraction = double(std::count_if(scores.begin(), scores.end(), [](double s) { return s >= kSharpTileScore; }))
        / double(scores.size());
    return result;
}

double edgeDensity(const LumaPlane &luma)
{
    if (luma.width < 3 || luma.height < 3)
        return 0;
    qint64 edges = 0;
    for (int y = 1; y < luma.height - 1; ++y)
        for (int x = 1; x < luma.width - 1; ++x) {
            const float g = std::abs(luma.at(x + 1, y) - luma.at(x - 1, y)) + std::abs(luma.at(x, y + 1) - luma.at(x, y - 1));
            edges += g > kEdgeGradient;
        }
    return double(edges) / double(qint64(luma.width - 2) * (luma.height - 2));
}

double percentile(const std::array<qint64, 256> &histogram, qint64 total, double fraction)
{
    const qint64 rank = std::clamp<qint64>(qint64(std::ceil(fraction * double(total))), 1, total);
    qint64 seen = 0;
    for (int level = 0; level < 256; ++level) {
        seen += histogram[size_t(level)];
        if (seen >= rank)
            return level / 255.0;
    }
    return 1.0;
}

} // namespace

ImageSignals SignalExtractor::measure(const QImage &input)
{
    ImageSignals s;
    if (input.isNull())
        return s;
    QImage image = input;
    if (std::max(image.width(), image.height()) > kAnalysisEdge)
        image = image.scaled(fitWithin(image.size(), kAnalysisEdge), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    if (image.format() != QImage::Format_RGB32 && image.format() != QImage::Format_ARGB32)
        image.convertTo(QImage::Format_RGB32);
    s.width = image.width();
    s.height = image.height();

    const LumaPlane luma = LumaPlane::fromImage(image);
    const qint64 total = qint64(s.width) * s.height;

    // Exposure and colour in one pass over the pixels.
    std::array<qint64, 256> histogram{};
    std::array<qint64, 64> colours{};
    double sum = 0, sumSquares = 0;
    double rgSum = 0, rgSquares = 0, ybSum = 0, ybSquares = 0;
    for (int y = 0; y < s.height; ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < s.width; ++x) {
            const int r = qRed(line[x]), g = qGreen(line[x]), b = qBlue(line[x]);
            const float l = luma.at(x, y);
            ++histogram[size_t(std::clamp(int(std::lround(l)), 0, 255))];
            sum += l;
            sumSquares += double(l) * l;
            ++colours[size_t((r >> 6) * 16 + (g >> 6) * 4 + (b >> 6))];
            const double rg = r - g, yb = 0.5 * (r + g) - b;
            rgSum += rg;
            rgSquares += rg * rg;
            ybSum += yb;
            ybSquares += yb * yb;
        }
    }
    const double n = double(total);
    s.meanLuma = sum / n / 255.0;
    s.contrast = std::sqrt(std::max(0.0, sumSquares / n - (sum / n) * (sum / n))) / 255.0;
    s.p1 = percentile(histogram, total, 0.01);
    s.p50 = percentile(histogram, total, 0.50);
    s.p99 = percentile(histogram, total, 0.99);
    s.dynamicRange = s.p99 - s.p1;
    qint64 dark = 0, bright = 0;
    for (int level = 0; level < 256; ++level) {
        if (level < kNearBlackLevel)
            dark += histogram[size_t(level)];
        if (level >= kNearWhiteLevel)
            bright += histogram[size_t(level)];
    }
    s.nearBlack = double(dark) / n;
    s.nearWhite = double(bright) / n;
    const double rgMean = rgSum / n, ybMean = ybSum / n;
    const double rgSd = std::sqrt(std::max(0.0, rgSquares / n - rgMean * rgMean));
    const double ybSd = std::sqrt(std::max(0.0, ybSquares / n - ybMean * ybMean));
    s.colourfulness = (std::hypot(rgSd, ybSd) + 0.3 * std::hypot(rgMean, ybMean)) / 255.0;
    s.dominantColour = double(*std::max_element(colours.begin(), colours.end())) / n;
    for (size_t i = 0; i < colours.size(); ++i)
        s.colourHistogram[i] = float(double(colours[i]) / n);

    const Sharpness sharpness = measureSharpness(luma);
    s.sharpness = sharpness.global;
    s.regionalSharpness = sharpness.regional;
    s.sharpTileFraction = sharpness.sharpFraction;
    s.detailFraction = sharpness.detailFraction;
    s.motionBlur = sharpness.motion;
    s.edgeDensity = edgeDensity(luma);

    s.perceptualHash = perceptualHash(luma);
    const LumaPlane thumb = luma.resampled(16, 16);
    for (size_t i = 0; i < s.fingerprint.size(); ++i)
        s.fingerprint[i] = quint8(std::clamp(int(std::lround(thumb.values[i])), 0, 255));
    return s;
}

Result<ImageSignals> SignalExtractor::measureFile(const MediaItem &item, const CancellationToken &token)
{
    auto image = ThumbnailGenerator::generate(item, kAnalysisEdge, token);
    if (!image)
        return image.error();
    return measure(*image);
}

} // namespace mt::quality
