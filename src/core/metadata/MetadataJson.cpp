#include "metadata/MetadataJson.h"

namespace mt {

namespace {

template <typename T>
nlohmann::ordered_json opt(const std::optional<T> &v)
{
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json str(const QString &s)
{
    return s.isEmpty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.toStdString());
}

} // namespace

nlohmann::ordered_json motionToJson(const std::optional<MotionPart> &motion)
{
    if (!motion)
        return nullptr;
    nlohmann::ordered_json j;
    j["kind"] = motionKindName(motion->kind).toStdString();
    j["clip"] = {{"path", motion->clipPath.toStdString()}, {"offset", motion->clipOffset}, {"length", motion->clipLength}};
    j["duration_s"] = opt(motion->durationSeconds);
    j["error"] = str(motion->error);
    return j;
}

QString motionKindName(MotionPart::Kind kind)
{
    return kind == MotionPart::Kind::LivePhoto ? QStringLiteral("live_photo") : QStringLiteral("motion_photo");
}

QString captureSourceName(CaptureTime::Source source)
{
    switch (source) {
    case CaptureTime::Source::Exif: return QStringLiteral("exif");
    case CaptureTime::Source::ExifDigitized: return QStringLiteral("exif_digitized");
    case CaptureTime::Source::Container: return QStringLiteral("container");
    case CaptureTime::Source::FileTime: return QStringLiteral("file_time");
    }
    return {};
}

nlohmann::ordered_json metadataToJson(const MediaItem &item, const Result<MediaMetadata> &metadata)
{
    static const MediaMetadata empty;
    const MediaMetadata &md = metadata ? *metadata : empty;
    nlohmann::ordered_json j;
    j["path"] = item.path.toStdString();
    j["kind"] = kindName(item.kind).toStdString();
    j["mime"] = str(item.mime);
    j["size_bytes"] = item.sizeBytes;
    j["width"] = opt(md.width);
    j["height"] = opt(md.height);
    j["orientation"] = opt(md.orientation);
    j["rotation"] = opt(md.rotation);
    if (md.capturedAt) {
        j["captured_at"] = md.capturedAt->toIso().toStdString();
        j["captured_at_source"] = captureSourceName(md.capturedAt->source).toStdString();
    } else {
        j["captured_at"] = nullptr;
        j["captured_at_source"] = nullptr;
    }
    if (md.gps)
        j["gps"] = {{"lat", md.gps->latitude}, {"lon", md.gps->longitude}, {"alt", opt(md.gps->altitude)}};
    else
        j["gps"] = nullptr;
    j["make"] = str(md.make);
    j["model"] = str(md.model);
    j["software"] = str(md.software);
    j["lens"] = str(md.lens);
    j["iso"] = opt(md.iso);
    j["f_number"] = opt(md.fNumber);
    j["exposure_time_s"] = opt(md.exposureTime);
    j["focal_length_mm"] = opt(md.focalLength);
    j["duration_s"] = opt(md.durationSeconds);
    j["fps"] = opt(md.fps);
    j["video_codec"] = str(md.videoCodec);
    j["bit_rate"] = opt(md.bitRate);
    j["audio_codec"] = str(md.audioCodec);
    j["audio_sample_rate"] = opt(md.audioSampleRate);
    j["audio_channels"] = opt(md.audioChannels);
    j["companions"] = nlohmann::ordered_json::array();
    for (const QString &companion : item.companions)
        j["companions"].push_back(companion.toStdString());
    j["motion"] = motionToJson(md.motion);
    j["error"] = metadata ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(metadata.error().message.toStdString());
    return j;
}

} // namespace mt
