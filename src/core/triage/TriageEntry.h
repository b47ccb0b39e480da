#pragma once

#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"
#include "common/Result.h"

#include <QString>

#include <optional>

namespace mt {

// What a Gemini run knows about each input file.
struct TriageEntry {
    MediaItem item;
    MediaMetadata metadata;
    QString hash;
    std::optional<Error> error; // unreadable: never sent
    int leader = -1;            // shares the verdict of this entry (Live Photo clip, exact duplicate)
    bool liveClip = false;
};

} // namespace mt
