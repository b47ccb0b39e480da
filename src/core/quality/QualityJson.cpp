#include "quality/QualityJson.h"

#include "metadata/MetadataJson.h"

#include <cmath>

namespace mt::quality {

namespace {

// Signals are measurements, not exact values: three decimals keep the output readable and stable.
double rounded(double v, double scale = 1000.0) { return std::round(v * scale) / scale; }

std::string hex(quint64 v) { return QStringLiteral("%1").arg(v, 16, 16, QLatin1Char('0')).toStdString(); }

} // namespace

nlohmann::ordered_json imageSignalsToJson(const ImageSignals &s)
{
    return {
        {"analysed_width", s.width},
        {"analysed_height", s.height},
        {"mean_luma", rounded(s.meanLuma)},
        {"p1", rounded(s.p1)},
        {"p50", rounded(s.p50)},
        {"p99", rounded(s.p99)},
        {"near_black", rounded(s.nearBlack)},
        {"near_white", rounded(s.nearWhite)},
        {"dynamic_range", rounded(s.dynamicRange)},
        {"sharpness", rounded(s.sharpness, 10)},
        {"regional_sharpness", rounded(s.regionalSharpness, 10)},
        {"sharp_tile_fraction", rounded(s.sharpTileFraction)},
        {"edge_density", rounded(s.edgeDensity)},
        {"motion_blur", rounded(s.motionBlur)},
        {"contrast", rounded(s.contrast)},
        {"detail_fraction", rounded(s.detailFraction)},
        {"colourfulness", rounded(s.colourfulness)},
        {"dominant_colour", rounded(s.dominantColour)},
        {"phash", hex(s.perceptualHash)},
    };
}

nlohmann::ordered_json videoSignalsToJson(const VideoSignals &s)
{
    nlohmann::ordered_json frames = nlohmann::ordered_json::array();
    for (size_t i = 0; i < s.frames.size(); ++i) {
        const ImageSignals &f = s.frames[i];
        frames.push_back({{"seconds", rounded(s.frameSeconds.size() > i ? s.frameSeconds[i] : 0.0)},
                          {"mean_luma", rounded(f.meanLuma)},
                          {"p99", rounded(f.p99)},
                          {"near_black", rounded(f.nearBlack)},
                          {"regional_sharpness", rounded(f.regionalSharpness, 10)},
                          {"detail_fraction", rounded(f.detailFraction)}});
    }
    return {
        {"duration_s", rounded(s.durationSeconds)},
        {"frames_sampled", s.frames.size()},
        {"black_frame_ratio", rounded(s.blackFrameRatio)},
        {"uniform_frame_ratio", rounded(s.uniformFrameRatio)},
        {"blurry_frame_ratio", rounded(s.blurryFrameRatio)},
        {"median_sharpness", rounded(s.medianSharpness, 10)},
        {"median_luma", rounded(s.medianLuma)},
        {"motion", rounded(s.motion)},
        {"frames", frames},
    };
}

nlohmann::ordered_json analysisToJson(const ItemAnalysis &a)
{
    nlohmann::ordered_json j;
    j["path"] = a.item.path.toStdString();
    j["kind"] = kindName(a.item.kind).toStdString();
    j["verdict"] = verdictName(a.verdict.verdict).toStdString();
    j["reason"] = a.verdict.reason.toStdString();
    j["rule"] = a.verdict.rule.toStdString();
    j["confidence"] = rounded(a.verdict.confidence, 100);
    // Below LocalVerdict::kConfident a second opinion (Gemini, or the person) is worth having.
    j["confident"] = a.verdict.verdict != VerdictKind::Error && a.verdict.confident();
    if (a.photo)
        j["signals"] = imageSignalsToJson(*a.photo);
    else if (a.video)
        j["signals"] = videoSignalsToJson(*a.video);
    else
        j["signals"] = nullptr;
    j["duplicate_group"] = a.duplicateGroup >= 0 ? nlohmann::ordered_json(a.duplicateGroup) : nlohmann::ordered_json(nullptr);
    j["best_in_group"] = a.duplicateGroup >= 0 && a.bestInGroup;
    j["group"] = a.group ? nlohmann::ordered_json{{"id", a.group->id},
                                                  {"kind", groupKindName(a.group->kind).toStdString()},
                                                  {"best", a.group->best},
                                                  {"keeper", a.group->keeperPath.toStdString()}}
                         : nlohmann::ordered_json(nullptr);
    j["motion"] = motionToJson(a.metadata ? a.metadata->motion : std::nullopt);
    j["similar_to"] = a.similarTo.isEmpty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(a.similarTo.toStdString());
    if (!a.followsPath.isEmpty())
        j["follows"] = a.followsPath.toStdString();
    if (a.capturedAt)
        j["captured_at"] = a.capturedAt->toString(Qt::ISODate).toStdString();
    if (a.error)
        j["error"] = a.error->message.toStdString();
    return j;
}

} // namespace mt::quality
