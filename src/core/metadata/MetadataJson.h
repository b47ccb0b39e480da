#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <nlohmann/json.hpp>

namespace mt {

// The machine-readable form of an item and its metadata, shared by `mediatriage-cli info --json`
// and the Lambda results. Every documented field is present; unknown values are null.
nlohmann::ordered_json metadataToJson(const MediaItem &item, const Result<MediaMetadata> &metadata);

QString captureSourceName(CaptureTime::Source source);

} // namespace mt
