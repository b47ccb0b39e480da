// Linux and the BSDs: freedesktop.org desktops, names are bytes.
#include "platform/CFileAccess.h"
#include "platform/SystemTrash.h"
#include "platform/ThumbnailCacheLocation.h"

namespace mt {

CFileAccess platformCFileAccess() { return CFileAccess::ByName; }

QString ThumbnailCacheLocation::platform() { return freedesktop(); }

const SystemTrash &SystemTrash::platform()
{
    static const FreedesktopTrash trash;
    return trash;
}

} // namespace mt
