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
        // Too dark to recover: the brightest 1% of pixels below this and a dark mean. −1.5 EV of
        // a daylight scene keeps its p99 at ≥ 0.50 (kept); −4 EV brings it to ≤ 0.30 (discarded).
        // Low-key pictures keep their highlights (p99 ≥ 0.8), so a low mean alone never discards.
        double darkP99 = 0.36;
        double darkMean = 0.16;
        // Blown out: this share of the picture at pure white. +4 EV clips 60–95% of a daylight
        // scene; high-key pictures (bright, not clipped) stay under 10%.
        double blownShare = 0.50;
        // Nothing in the frame: hardly any tile with structure, no edges, little contrast.
        double uniformDetail = 0.12;
        double uniformEdges = 0.004;
        double uniformContrast = 0.07;
        // Out of focus everywhere: even the sharpest ~10% of the picture scores below this. Sharp
        // and slightly soft photos score ≥ 30 at 480 px; strong defocus and strong motion blur
        // score ≤ 15.
        double blurRegional = 20.0;
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
    bool isBlurry(const ImageSignals &s) const;

    const Thresholds &thresholds() const { return m_t; }

private:
    Thresholds m_t;
};

} // namespace mt::quality
