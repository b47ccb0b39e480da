#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

namespace mt {

// Video metadata through libavformat, in-process. MP4/MOV headers carry everything we need, so
// the costly stream probing (which decodes frames) only runs when the container leaves gaps.
class VideoMetadataReader {
public:
    // `token` stops the probe's reads (a stalled or looping demuxer).
    static Result<MediaMetadata> read(const MediaItem &item, const CancellationToken &token = {});
};

} // namespace mt
