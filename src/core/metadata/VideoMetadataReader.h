#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

namespace mt {

// Video metadata through libavformat, in-process. MP4/MOV headers carry everything we need, so
// the costly stream probing (which decodes frames) only runs when the container leaves gaps.
class VideoMetadataReader {
public:
    static Result<MediaMetadata> read(const MediaItem &item);
};

} // namespace mt
