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

// Pixels darker than this (r+g+b) carry no usable hue for the chromaticity histogram.
constexpr int kMinChromaSum = 30;

// Half-width of the re-blur (a 9-tap box, as in Crété-Roffet et al.'s no-reference blur metric).
// At 480 px this is ~1% of the frame: a sharp edge loses most of its step to it, an edge already
// spread over 8+ pixels loses almost nothing.
constexpr int kReblurRadius = 4;
// Only places where the re-blurred picture still has a step of this many levels per pixel count:
// real edges and texture. Sensor noise and JPEG ringing (well under a level after the downscale
// to 480 px) are smoothed below it by the re-blur, so noise cannot pass for detail — the failure
// of the original metric, which on the benchmark scored heavy defocus plus noise as "sharp".
constexpr float kStructureLevel = 1.5f;
// A tile direction is judged when at least this share of its pixels sit on such structure.
constexpr double kStructureShare = 0.03;
// Tile sharpness above which a tile counts as sharp (0..100).
constexpr double kSharpTileScore = 35.0;
// A gradient this strong (levels over 2 px, both axes summed) marks a clear edge.
constexpr float kEdgeGradient = 24.0f;
// Target tile edge in analysis pixels: ~8×6 tiles on a 480×360 decode, enough for a portrait
// subject to own several tiles.
constexpr int kTileEdge = 60;

struct TileSums {
    // Along rows (H) and columns (V): neighbour steps at structure, the same steps after the
    // re-blur, and how many there were.
    double stepH = 0, blurredH = 0, stepV = 0, blurredV = 0;
    int countH = 0, countV = 0;
    int pixels = 0;
};

// Along one line of `count` samples (stride `step`), adds each structural step and its re-blurred
// size to the tile the sample falls in.
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
        const float db = std::abs(blur - previousBlur);
        previousBlur = blur;
        if (db < kStructureLevel)
            continue;
        const float d = std::abs(line[size_t(i) * size_t(step)] - line[size_t(i - 1) * size_t(step)]);
        TileSums &tile = tileOf(i);
        if (horizontal) {
            tile.stepH += d;
            tile.blurredH += db;
            ++tile.countH;
        } else {
            tile.stepV += d;
            tile.blurredV += db;
            ++tile.countV;
        }
    }
}

// 0..100: how much of the step the re-blur took away. A sharp edge keeps only ~1/4 of its
// neighbour step after the re-blur (score ~75), an edge already as wide as the re-blur keeps
// nearly all of it (score ~0–15).
double sharpnessScore(double step, double blurred)
{
    return step > 0 ? std::clamp(100.0 * (1.0 - blurred / step), 0.0, 100.0) : 0.0;
}

struct Sharpness {
    double global = 0;
    double regional = 0;
    double sharpFraction = 0;
    double detailFraction = 0;
    double motion = 0;
};

// Mean of the best ~10% of tile scores, at least two tiles so one noisy tile cannot vouch for a
// blurred picture.
double topMean(std::vector<double> scores)
{
    if (scores.empty())
        return 0;
    std::sort(scores.begin(), scores.end(), std::greater<>());
    const size_t top = std::min(scores.size(), std::max<size_t>(2, (scores.size() + 9) / 10));
    double sum = 0;
    for (size_t i = 0; i < top; ++i)
        sum += scores[i];
    return sum / double(top);
}

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

    double stepH = 0, blurredH = 0, stepV = 0, blurredV = 0;
    std::vector<double> scores, scoresH, scoresV;
    for (const TileSums &t : tiles) {
        const double n = std::max(1, t.pixels);
        const bool hasH = t.countH >= kStructureShare * n;
        const bool hasV = t.countV >= kStructureShare * n;
        if (!hasH && !hasV)
            continue;
        double score = 100.0;
        if (hasH) {
            scoresH.push_back(sharpnessScore(t.stepH, t.blurredH));
            score = std::min(score, scoresH.back());
            stepH += t.stepH;
            blurredH += t.blurredH;
        }
        if (hasV) {
            scoresV.push_back(sharpnessScore(t.stepV, t.blurredV));
            score = std::min(score, scoresV.back());
            stepV += t.stepV;
            blurredV += t.blurredV;
        }
        scores.push_back(score);
    }
    result.detailFraction = double(scores.size()) / double(tiles.size());
    if (scores.empty())
        return result;
    const double sharpH = stepH > 0 ? sharpnessScore(stepH, blurredH) : 100.0;
    const double sharpV = stepV > 0 ? sharpnessScore(stepV, blurredV) : 100.0;
    result.global = std::min(stepH > 0 ? sharpH : sharpV, stepV > 0 ? sharpV : sharpH);
    // Regional sharpness per direction: the sharpest part along rows and along columns. Camera
    // shake smears every tile along one axis, so the best tiles along that axis stay soft even
    // where the other axis looks crisp; a portrait-mode subject is crisp along both. A direction
    // with hardly any structure anywhere (ruled paper, horizon lines) is not held against the
    // picture.
    const double regionalH = topMean(scoresH), regionalV = topMean(scoresV);
    const size_t minTiles = std::max<size_t>(2, scores.size() / 10);
    const bool useH = scoresH.size() >= minTiles, useV = scoresV.size() >= minTiles;
    if (useH && useV)
        result.regional = std::min(regionalH, regionalV);
    else
        result.regional = useH ? regionalH : useV ? regionalV : topMean(scores);
    const double high = std::max(regionalH, regionalV);
    result.motion = useH && useV && high > 0 ? 1.0 - std::min(regionalH, regionalV) / high : 0.0;
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
    std::array<qint64, 64> chroma{};
    qint64 chromaPixels = 0;
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
            // Chromaticity (r, g shares of r+g+b) does not move when a burst's exposure drifts;
            // near-black pixels have no reliable hue and stay out.
            if (const int total = r + g + b; total >= kMinChromaSum) {
                ++chroma[size_t((r * 8 / (total + 1)) * 8 + g * 8 / (total + 1))];
                ++chromaPixels;
            }
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
    for (size_t i = 0; i < chroma.size(); ++i)
        s.colourHistogram[i] = chromaPixels ? float(double(chroma[i]) / double(chromaPixels)) : 0.0f;

    const Sharpness sharpness = measureSharpness(luma);
    s.sharpness = sharpness.global;
    s.regionalSharpness = sharpness.regional;
    s.sharpTileFraction = sharpness.sharpFraction;
    s.detailFraction = sharpness.detailFraction;
    s.motionBlur = sharpness.motion;
    s.edgeDensity = edgeDensity(luma);

    s.perceptualHash = perceptualHash(luma);
    s.detailHash = detailHash(luma);
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
