#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QImage>
#include <QString>

namespace mt {

// Raster photos through Qt's image plugins (JPEG, PNG, GIF, WebP when the plugin is installed).
// The decoder is asked for the small size directly, so JPEG is downscaled in the DCT domain, and
// EXIF orientation is applied so the result is upright.
class ImageThumbnailer {
public:
    Result<QImage> thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const;

    // Whether Qt can decode this format here (WebP needs qt6-image-formats-plugins).
    static bool canRead(const QByteArray &format);
};

} // namespace mt
