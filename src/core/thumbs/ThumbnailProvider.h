#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "thumbs/ThumbnailCache.h"

#include <QImage>
#include <QString>

namespace mt {

struct Thumbnail {
    QString file;   // the PNG in the shared cache
    QSize size;     // of the thumbnail
    QImage image;   // null when the caller asked for the file only and it came from the cache
    bool fromCache = false;
};

// The cached path to a thumbnail: a valid entry of the shared cache when there is one (made by
// us or by another program), else the generator's result, stored for next time. Files that
// cannot be thumbnailed are remembered as failures until they change.
class ThumbnailProvider {
public:
    enum class Pixels { Load, FileOnly };

    explicit ThumbnailProvider(ThumbnailCache cache = ThumbnailCache()) : m_cache(std::move(cache)) {}

    // `size` must be one of the standard sizes (128, 256, 512, 1024).
    Result<Thumbnail> get(const QString &path, int size, const CancellationToken &token = {},
                          Pixels pixels = Pixels::Load) const;

    const ThumbnailCache &cache() const { return m_cache; }

    // Whether an error says something about the file itself (so retrying is pointless until it
    // changes) rather than about this moment (cancelled, timed out under load, disk full).
    static bool isLastingFailure(const Error &error);

private:
    ThumbnailCache m_cache;
};

} // namespace mt
