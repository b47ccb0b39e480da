#include "quality/OfflineJudge.h"

#include <algorithm>
#include <cmath>

namespace mt::quality {

namespace {

// Pictures smaller than this (in the analysed decode) carry too little to judge: keep them and
// say so rather than guess (the 8×8 EXIF test stubs, icons).
constexpr int kMinJudgeablePixels = 48 * 48;

QString percent(double fraction) { return QString::number(std::lround(fraction * 100.0)); }

// Confidence from how far a value is past (or short of) a threshold, relative to `scale`:
// at the threshold 0.55, one scale beyond it 0.99.
double confidenceFromMargin(double margin, double scale)
{
    return 0.55 + 0.44 * std::clamp(margin / scale, 0.0, 1.0);
}

LocalVerdict discard(QString rule, QString reason, double confidence)
{
    return {VerdictKind::Discard, std::move(reason), std::move(rule), confidence};
}

} // namespace

bool OfflineJudge::isNearlyBlack(const ImageSignals &s) const
{
    return s.nearBlack >= m_t.blackShare || s.p99 < m_t.blackP99;
}

bool OfflineJudge::isBlownOut(const ImageSignals &s) const
{
    return s.nearWhite >= m_t.blownShare || (s.nearWhite >= m_t.blownShareBrightMedian && s.p50 >= m_t.brightMedian);
}

bool OfflineJudge::isUniform(const ImageSignals &s) const
{
    return s.detailFraction < m_t.uniformDetail && s.edgeDensity < m_t.uniformEdges && s.contrast < m_t.uniformContrast;
}

bool OfflineJudge::isBlurry(const ImageSignals &s) const
{
    return s.regionalSharpness < m_t.blurRegional || isShaken(s);
}

bool OfflineJudge::isShaken(const ImageSignals &s) const
{
    return s.motionBlur >= m_t.motionAnisotropy && s.regionalSharpness < m_t.motionRegional;
}

LocalVerdict OfflineJudge::judgePhoto(const ImageSignals &s) const
{
    if (s.width * s.height < kMinJudgeablePixels)
        return {VerdictKind::Keep,
                tr("too small to judge (%1×%2 pixels): kept").arg(s.width).arg(s.height), QStringLiteral("too_small"), 0.5};

    if (isNearlyBlack(s)) {
        const double margin = std::max(s.nearBlack - m_t.blackShare, (m_t.blackP99 - s.p99) / m_t.blackP99);
        return discard(QStringLiteral("black"),
                       tr("nearly black: %1% of pixels below 3% brightness").arg(percent(s.nearBlack)),
                       confidenceFromMargin(margin, 0.03));
    }
    if (s.p99 < m_t.darkP99 && s.meanLuma < m_t.darkMean) {
        const double margin = std::min(m_t.darkP99 - s.p99, m_t.darkMean - s.meanLuma);
        return discard(QStringLiteral("dark"),
                       tr("too dark to recover: even the brightest parts reach only %1% brightness")
                           .arg(percent(s.p99)),
                       confidenceFromMargin(margin, 0.06));
    }
    if (isBlownOut(s)) {
        const double margin = std::max(s.nearWhite - m_t.blownShare,
                                       std::min(s.nearWhite - m_t.blownShareBrightMedian, s.p50 - m_t.brightMedian));
        const QString reason = s.nearWhite >= m_t.blownShare
            ? tr("blown out: %1% of the picture is pure white").arg(percent(s.nearWhite))
            : tr("blown out: %1% of the picture is pure white and the rest is washed out (median brightness %2%)")
                  .arg(percent(s.nearWhite), percent(s.p50));
        return discard(QStringLiteral("blown_out"), reason, confidenceFromMargin(margin, 0.1));
    }
    if (isUniform(s)) {
        const double margin = std::min({(m_t.uniformDetail - s.detailFraction) / m_t.uniformDetail,
                                        (m_t.uniformEdges - s.edgeDensity) / m_t.uniformEdges,
                                        (m_t.uniformContrast - s.contrast) / m_t.uniformContrast});
        return discard(QStringLiteral("uniform"),
                       tr("nothing in the picture: one flat colour without detail (like a floor, a pocket or a "
                          "finger over the lens)"),
                       confidenceFromMargin(margin, 0.5));
    }
    if (isShaken(s)) {
        const double margin = std::min((s.motionBlur - m_t.motionAnisotropy) / m_t.motionAnisotropy,
                                       (m_t.motionRegional - s.regionalSharpness) / m_t.motionRegional);
        return discard(QStringLiteral("motion_blur"),
                       tr("motion blur: smeared in one direction, sharpness %1 along it (sharp photos score 30 or more)")
                           .arg(s.regionalSharpness, 0, 'f', 1),
                       confidenceFromMargin(margin, 0.4));
    }
    if (isBlurry(s)) {
        const double margin = (m_t.blurRegional - s.regionalSharpness) / m_t.blurRegional;
        return discard(QStringLiteral("blurry"),
                       tr("out of focus everywhere: sharpness %1 in its sharpest part (sharp photos score 30 or more)")
                           .arg(s.regionalSharpness, 0, 'f', 1),
                       confidenceFromMargin(margin, 0.4));
    }

    // Kept. The confidence is the smallest margin to any discard rule, so a borderline keep can
    // be sent for a second opinion.
    const double shakeMargin = std::max((s.regionalSharpness - m_t.motionRegional) / m_t.motionRegional,
                                        (m_t.motionAnisotropy - s.motionBlur) / m_t.motionAnisotropy);
    const double sharpMargin = std::min((s.regionalSharpness - m_t.blurRegional) / m_t.blurRegional, shakeMargin);
    const double darkMargin = std::max((s.p99 - m_t.darkP99) / m_t.darkP99, (s.meanLuma - m_t.darkMean) / m_t.darkMean);
    const double blownMargin = std::max((m_t.blownShareBrightMedian - s.nearWhite) / m_t.blownShareBrightMedian,
                                        (m_t.brightMedian - s.p50) / m_t.brightMedian);
    const double margin = std::min({sharpMargin, darkMargin, blownMargin});
    const double confidence = 0.55 + 0.44 * std::clamp(margin, 0.0, 1.0);
    QString reason;
    if (darkMargin < 0.5 || s.meanLuma < m_t.darkMean)
        reason = tr("dark but visible: the brightest parts reach %1% brightness").arg(percent(s.p99));
    else if (sharpMargin < 0.5)
        reason = tr("a little soft but recognisable (sharpness %1)").arg(s.regionalSharpness, 0, 'f', 1);
    else if (s.sharpTileFraction < 0.35 && s.sharpness < m_t.blurRegional * 1.5)
        reason = tr("sharp subject on a soft background (sharpness %1 in its sharpest part)")
                     .arg(s.regionalSharpness, 0, 'f', 1);
    else
        reason = tr("sharp and well exposed");
    return {VerdictKind::Keep, reason, QStringLiteral("ok"), confidence};
}

LocalVerdict OfflineJudge::judgeVideo(const VideoSignals &s) const
{
    if (s.durationSeconds > 0 && s.durationSeconds < m_t.minClipSeconds)
        return discard(QStringLiteral("short"),
                       tr("too short: %1 s (clips under %2 s are usually accidental)")
                           .arg(s.durationSeconds, 0, 'f', 1)
                           .arg(m_t.minClipSeconds, 0, 'f', 0),
                       0.9);
    const int n = int(s.frames.size());
    if (n == 0)
        return {VerdictKind::Keep, tr("no frames could be judged: kept"), QStringLiteral("unknown"), 0.5};
    const double fault = m_t.videoFaultShare;
    if (s.blackFrameRatio >= fault)
        return discard(QStringLiteral("black"),
                       tr("black throughout: %1 of %2 sampled frames are nearly black")
                           .arg(std::lround(s.blackFrameRatio * n))
                           .arg(n),
                       confidenceFromMargin(s.blackFrameRatio - fault, 0.15));
    const double empty = s.blackFrameRatio + s.uniformFrameRatio;
    if (empty >= fault)
        return discard(QStringLiteral("uniform"),
                       tr("nothing to see: %1 of %2 sampled frames are black or one flat colour (pocket or floor footage)")
                           .arg(std::lround(empty * n))
                           .arg(n),
                       confidenceFromMargin(empty - fault, 0.15));
    if (s.blurryFrameRatio >= fault)
        return discard(QStringLiteral("blurry"),
                       tr("blurry throughout: every sampled frame is out of focus (sharpness %1, sharp footage scores 30 or more)")
                           .arg(s.medianSharpness, 0, 'f', 1),
                       confidenceFromMargin(s.blurryFrameRatio - fault, 0.15));
    const int good = n - int(std::lround((s.blackFrameRatio + s.uniformFrameRatio) * n));
    QString reason = tr("%1 of %2 sampled frames show something sharp enough").arg(good).arg(n);
    if (s.motion < 0.01)
        reason += tr("; the picture hardly changes");
    const double okShare = 1.0 - std::max(empty, s.blurryFrameRatio);
    return {VerdictKind::Keep, reason, QStringLiteral("ok"), 0.55 + 0.44 * std::clamp(okShare, 0.0, 1.0)};
}

} // namespace mt::quality
