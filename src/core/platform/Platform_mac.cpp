// macOS: names are UTF-8 (the C libraries open them by name), the Finder's Trash through Qt.
#include "platform/CFileAccess.h"
#include "platform/SystemTrash.h"
#include "platform/ThumbnailCacheLocation.h"

namespace mt {

CFileAccess platformCFileAccess() { return CFileAccess::ByName; }

QString ThumbnailCacheLocation::platform() { return appCache(); }

const SystemTrash &SystemTrash::platform()
{
    static const QtTrash trash;
    return trash;
}

} // namespace mt
