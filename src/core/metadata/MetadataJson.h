#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <nlohmann/json.hpp>

namespace mt {

// The machine-readable form of an item and its metadata, shared by `mediatriage-cli info --json`
// and the Lambda results. Every documented field is present; unknown values are null.
nlohmann::ordered_json metadataToJson(const MediaItem &item, const Result<MediaMetadata> &metadata);

// A Live Photo's clip or a Motion Photo's embedded video, or null: the same object in `info --json`,
// `analyze --json` and every result document.
nlohmann::ordered_json motionToJson(const std::optional<MotionPart> &motion);

QString captureSourceName(CaptureTime::Source source);
QString motionKindName(MotionPart::Kind kind); // "live_photo", "motion_photo"

} // namespace mt
