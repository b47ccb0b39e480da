#include "platform/ThumbnailCacheLocation.h"

#include <QStandardPaths>

namespace mt {

QString ThumbnailCacheLocation::freedesktop()
{
    // GenericCacheLocation is $XDG_CACHE_HOME, or ~/.cache, on freedesktop systems.
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/thumbnails");
}

} // namespace mt
