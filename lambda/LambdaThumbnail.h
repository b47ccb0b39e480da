#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"

#include <QImage>
#include <QString>

namespace mt::lambda {

// The thumbnail the function stores, both beside the results (`P_triage/thumbs/`) and by upload
// preparation (`_triage/prepared/<name>/thumb.jpg`): one definition, because a triage run
// publishes the prepared one in place of its own.
struct LambdaThumbnail {
    static constexpr int kEdge = 512;
    // Within the item's thumbnail budget and `token` (the invocation's deadline).
    static Result<QImage> render(const MediaItem &item, const CancellationToken &token);
    // JPEG at quality 85; false when the file cannot be written.
    static bool save(const QImage &image, const QString &path);
};

} // namespace mt::lambda
