#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QImage>
#include <QString>

namespace mt {

// Camera RAW thumbnails: the smallest embedded preview (Exiv2's PreviewManager) that covers the
// requested size, decoded straight to that size and turned upright with the RAW's orientation;
// when there is none, or it is damaged, a real decode with LibRaw. A small preview is still
// better than nothing when LibRaw cannot decode the file either.
class RawThumbnailer {
public:
    Result<QImage> thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const;
};

} // namespace mt
