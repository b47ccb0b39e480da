#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QImage>
#include <QString>

namespace mt {

// HEIC/HEIF/AVIF through libheif. Phones embed a small thumbnail item (typically 320 px), which
// decodes in milliseconds instead of the hundreds a 12 MP grid takes; it is used whenever it is
// at least as large as the requested size. libheif applies irot/imir itself, so the result is
// upright without looking at EXIF Orientation (applying it again would rotate twice).
class HeifThumbnailer {
public:
    Result<QImage> thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const;
};

} // namespace mt
