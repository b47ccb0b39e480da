#pragma once

#include <QtGlobal>

#include <array>

namespace mt::quality {

// What the offline engine measures on one picture (a photo, or one frame of a video), all on a
// decode whose longest edge is SignalExtractor::kAnalysisEdge so numbers compare across sizes.
// Brightness values are fractions of full scale (0..1); sharpness scores are 0..100.
struct ImageSignals {
    int width = 0;  // of the analysed decode
    int height = 0;

    // Exposure
    double meanLuma = 0;
    double p1 = 0, p50 = 0, p99 = 0;
    double nearBlack = 0;    // fraction of pixels below 3% brightness
    double nearWhite = 0;    // fraction of pixels above 97% brightness
    double dynamicRange = 0; // p99 - p1

    // Sharpness: how much detail a re-blur destroys (Crété-Roffet et al. 2007), a ratio, so it
    // does not depend on contrast or exposure. `sharpness` is the whole picture, `regionalSharpness`
    // the sharpest part (the best ~10% of tiles), which is what a portrait-mode shot has.
    double sharpness = 0;
    double regionalSharpness = 0;
    double sharpTileFraction = 0; // tiles with detail that are themselves sharp
    double edgeDensity = 0;       // fraction of pixels on a clear edge
    double motionBlur = 0;        // 0 = blur (if any) is the same in all directions, 1 = all along one axis

    // Content
    double contrast = 0;          // standard deviation of brightness (0..1)
    double detailFraction = 0;    // tiles with any structure at all
    double colourfulness = 0;     // Hasler & Süsstrunk, 0..~1 (0 = grey)
    double dominantColour = 0;    // share of the most common of 64 coarse colours

    // Near-duplicate detection
    quint64 perceptualHash = 0;              // 64-bit DCT hash
    std::array<quint64, 4> detailHash{};     // 256-bit DCT hash: tells an exact copy from a similar shot
    std::array<quint8, 256> fingerprint{};   // 16×16 brightness, the second measure confirming a hash match
    std::array<float, 64> colourHistogram{}; // 8×8 chromaticity (r, g shares) bins, sum 1; exposure-independent
};

} // namespace mt::quality
