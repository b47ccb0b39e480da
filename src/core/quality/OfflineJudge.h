#pragma once

#include "quality/ImageSignals.h"
#include "quality/LocalVerdict.h"
#include "quality/VideoSignals.h"

#include <QCoreApplication>

namespace mt::quality {

// Turns signals into keep/discard with a reason, following the triage criteria: be generous —
// only what editing cannot rescue is discarded (black, blown out, out of focus everywhere,
// nothing in the frame). Dark-but-visible, slightly soft, low-key, high-key and portrait-mode
// pictures are kept. Every threshold is a named constant with the measurements behind it.
class OfflineJudge {
    Q_DECLARE_TR_FUNCTIONS(OfflineJudge)
public:
    struct Thresholds {
        // Nearly black: at least this share of pixels under 3% brightness, or the brightest 1%
        // under kBlackP99. A black frame, a lens cap, a pocket at night.
        double blackShare = 0.95;
        double blackP99 = 0.10;
        // Too dark to recover: even the brightest 1% of pixels below this (and a dark mean).
        // On the benchmark −4 EV and −5 EV bring p99 to ≤ 0.28 while −1.5 EV and low-key
        // variants keep it at ≥ 0.42; night scenes keep their lights (p99 high), so a low mean
        // alone never discards.
        double darkP99 = 0.34;
        double darkMean = 0.25;
        // Blown out: half the picture pure white, or a quarter with the median pixel very bright
        // (nothing left in the midtones). +4 EV clips 32–96% of a daylight scene with a median
        // of ≥ 0.8; high-key pictures are bright but barely clipped, and a normal photo with a
        // blown sky keeps its median in the midtones.
        double blownShare = 0.50;
        double blownShareBrightMedian = 0.25;
        double brightMedian = 0.80;
        // Nothing in the frame: hardly any tile with structure, no edges, little contrast.
        double uniformDetail = 0.12;
        double uniformEdges = 0.004;
        double uniformContrast = 0.07;
        // Out of focus everywhere: even the sharpest ~10% of the picture scores below this
        // (re-blur score at 480 px, the softer of the two axes). On the benchmark, strong and very
        // strong defocus score ≤ 19, every keep variant — slightly soft, portrait mode, low-key,
        // ruled paper — ≥ 28.
        double blurRegional = 22.0;
        // Camera shake: one axis much softer than the other and no crisp part along it. Strong
        // shake measures anisotropy 0.40–0.80 with regional ≤ 30; keep variants stay ≤ 0.26.
        double motionAnisotropy = 0.35;
        double motionRegional = 34.0;
        // Clips shorter than this are accidental (the triage criteria).
        double minClipSeconds = 2.0;
        // A clip is discarded for a fault only when nearly all sampled frames have it.
        double videoFaultShare = 0.85;
    };

    OfflineJudge() = default;
    explicit OfflineJudge(Thresholds thresholds) : m_t(thresholds) {}

    LocalVerdict judgePhoto(const ImageSignals &s) const;
    LocalVerdict judgeVideo(const VideoSignals &s) const;

    // Frame classes shared with the video signals.
    bool isNearlyBlack(const ImageSignals &s) const;
    bool isUniform(const ImageSignals &s) const;
    bool isBlownOut(const ImageSignals &s) const;
    bool isShaken(const ImageSignals &s) const;
    bool isBlurry(const ImageSignals &s) const;

    const Thresholds &thresholds() const { return m_t; }

private:
    Thresholds m_t;
};

} // namespace mt::quality
