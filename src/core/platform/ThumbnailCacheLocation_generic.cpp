#include "platform/ThumbnailCacheLocation.h"

#include <QStandardPaths>

namespace mt {

QString ThumbnailCacheLocation::appCache()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/thumbnails");
}

} // namespace mt
