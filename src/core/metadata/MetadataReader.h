#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaBudget.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

namespace mt {

// Reads a scanned item's metadata with the reader for its kind. When the file names no capture
// time, the file's modification time stands in, marked as CaptureTime::Source::FileTime.
// Items that already carry a scan error return that error. The read has the item's probe budget
// (MediaBudget) within `token`; what the headers claim sets the budget of the work that follows.
Result<MediaMetadata> readMetadata(const MediaItem &item, const CancellationToken &token = {});

// A token for `task` on `item`, limited by the budget its metadata claims, and that metadata
// (it is read anyway). An error only when the read itself was stopped: a file that cannot even
// be probed in time would not be decoded in time either.
struct BudgetedWork {
    Result<MediaMetadata> metadata;
    CancellationToken token;
};
Result<BudgetedWork> budgetedWork(const MediaItem &item, MediaTask task, const CancellationToken &token);

} // namespace mt
