#pragma once

#include "common/Cancellation.h"
#include "media/MediaItem.h"
#include "quality/ImageSignals.h"

#include <QDateTime>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace mt::lambda {

struct JobEntry;

// What near-duplicate grouping needs to know about one photo, measured where the photo was
// downloaded (a shard worker) and carried in the shard files, so the merge can group across the
// whole prefix without downloading anything again.
// The fields mirror quality::GroupCandidate, which they are measured with and turned back into.
struct GroupingSignals {
    std::optional<quality::ImageSignals> image; // perceptual hash, layout fingerprint, colour histogram, sharpness
    std::optional<QDateTime> capturedAt;        // from the file's own metadata only, never its mtime
    bool subsecondTime = false;                 // capturedAt carries the file's sub-second part
    qint64 originalPixels = 0;
    bool isHeif = false;
    bool isRaw = false;
    QString camera;          // make and model: bursts and edits come from one camera
    QString burstId;         // Apple's BurstUUID
    int metadataFields = 0;  // a stripped copy has few: the richer file is the original
};

class GroupingSignalsCodec {
public:
    // Measures a downloaded photo; nothing for videos or files that cannot be decoded (they are
    // never grouped, as in the offline engine).
    static std::optional<GroupingSignals> measure(const MediaItem &item, const CancellationToken &token);

    // Lossless JSON (floats and doubles round-trip exactly), so grouping on decoded signals gives
    // the same groups as grouping on the measured ones.
    static nlohmann::json toJson(const GroupingSignals &grouping);
    static std::optional<GroupingSignals> fromJson(const nlohmann::json &doc);

    // Near-duplicate groups over `entries` in their order (the prefix's listing order), with the
    // core's grouper: replaces whatever group members the engine set per batch or shard. Only
    // judged entries with image grouping take part; group numbers follow the first member.
    static void applyGroups(std::vector<JobEntry> &entries);
};

} // namespace mt::lambda
