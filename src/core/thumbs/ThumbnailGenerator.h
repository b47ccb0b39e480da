#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"

#include <QImage>
#include <QString>

namespace mt {

// One thumbnail, synchronously: picks the thumbnailer by the file's content (not its name),
// returns an upright image whose longest edge is at most `maxEdge` (never upscaled), or an error
// a person can act on. Thread-safe; the caller decides about threads, caching and time limits
// (through the token).
class ThumbnailGenerator {
public:
    static Result<QImage> generate(const QString &path, int maxEdge, const CancellationToken &token = {});
    // For items already inspected by the scanner: skips re-reading the file head.
    static Result<QImage> generate(const MediaItem &item, int maxEdge, const CancellationToken &token = {});
    // The same within the item's thumbnail budget (MediaBudget, from what its headers claim),
    // for callers that take one file at a time and must not hang on one: a file past its budget
    // is a Timeout error. Callers that budget a larger task themselves use generate().
    static Result<QImage> generateWithinBudget(const MediaItem &item, int maxEdge, const CancellationToken &token = {});
};

} // namespace mt
