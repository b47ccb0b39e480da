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

    // Names `clip` (paired with the still by LivePhotoPairing) as the still's `live_photo` motion,
    // unless the still already moves by itself (a Motion Photo keeps its own part).
    static void attachLiveClip(MediaMetadata &still, const MediaItem &clip, std::optional<double> clipSeconds);

    // For fronts without a triage session (`info`): pairs the items and attaches each still's clip.
    // A session attaches from the pairing it already made. `metadata` runs parallel to `items`.
    static void attachLiveClips(const std::vector<MediaItem> &items, QList<Result<MediaMetadata>> &metadata,
                                double maxClipSeconds);
};

} // namespace mt
