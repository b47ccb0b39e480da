#pragma once

#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include "common/Result.h"

#include <QList>

#include <optional>
#include <vector>

namespace mt {

// The Motion Photo part of a JPEG or HEIC, if it has one: where its MP4 is and how long it runs
// (probed in memory). A broken one still comes back, with `error` saying what is wrong, so the
// still is shown and judged as a photo and the person learns why it does not move.
class MotionPhotoReader {
public:
    static bool mayHaveMotion(const MediaItem &item);
    static std::optional<MotionPart> read(const MediaItem &item);

    // Gives each still that has a Live Photo clip next to it (paired by pairLivePhotos) a
    // `live_photo` motion naming the clip; `metadata` runs parallel to `items`.
    static void attachLiveClips(const std::vector<MediaItem> &items, QList<Result<MediaMetadata>> &metadata,
                                double maxClipSeconds);
};

} // namespace mt
