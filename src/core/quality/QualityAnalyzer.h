#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"
#include "quality/ImageSignals.h"
#include "quality/LocalVerdict.h"
#include "quality/MediaGrouper.h"
#include "quality/NearDuplicateGrouper.h"
#include "quality/OfflineJudge.h"
#include "quality/VideoSignals.h"

#include <QCoreApplication>
#include <QDateTime>

#include <functional>
#include <optional>
#include <vector>

namespace mt::quality {

// Everything the offline engine found out about one file.
struct ItemAnalysis {
    MediaItem item;
    std::optional<Error> error;          // the file could not be analysed; verdict is Error
    std::optional<ImageSignals> photo;   // set for photos
    std::optional<VideoSignals> video;   // set for videos
    LocalVerdict verdict;
    std::optional<QDateTime> capturedAt;
    qint64 originalPixels = 0;
    std::optional<MediaMetadata> metadata; // when it could be read
    QString contentHash;                 // of the bytes, taken before decoding; empty when unreadable
    std::optional<ItemGroup> group;      // its group and the group's kind
    int duplicateGroup = -1;             // mirrors group->id (-1: none), for the older fields
    bool bestInGroup = false;
    QString similarTo;                   // the group's suggested keeper, when this item is not it
    QString followsPath;                 // a Live Photo clip: the still it belongs to
};

struct AnalyzeOptions {
    KeeperRule keeperRule = KeeperRule::Sharpest; // of `similar` groups
    bool groupDuplicates = true;
    double liveClipMaxSeconds = 4.0; // a clip this short next to a same-named still is its Live Photo motion
    OfflineJudge::Thresholds thresholds;
    // Called after each item is analysed, from worker threads (at the same time from several):
    // how many are done so far.
    std::function<void(int done)> itemDone;
};

// The offline engine end to end: decode, measure, judge, group. Items are analysed in parallel
// (QtConcurrent, the global pool); one item's failure is its own error and never stops the rest.
class QualityAnalyzer {
    Q_DECLARE_TR_FUNCTIONS(QualityAnalyzer)
public:
    static ItemAnalysis analyzeItem(const MediaItem &item, const OfflineJudge &judge,
                                    const CancellationToken &token = {});
    // Same order as `items`.
    static std::vector<ItemAnalysis> analyze(const std::vector<MediaItem> &items, const AnalyzeOptions &options = {},
                                             const CancellationToken &token = {});

    // One line for a prompt's metadata block: what the local analysis measured, as a hint.
    static QString promptHint(const ItemAnalysis &analysis);
};

} // namespace mt::quality
