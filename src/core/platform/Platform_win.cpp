// Windows: names are UTF-16, which only Qt (not a C library's char* fopen) reaches; Recycle Bin.
#include "platform/CFileAccess.h"
#include "platform/SystemTrash.h"
#include "platform/ThumbnailCacheLocation.h"

namespace mt {

CFileAccess platformCFileAccess() { return CFileAccess::ThroughQt; }

QString ThumbnailCacheLocation::platform() { return appCache(); }

const SystemTrash &SystemTrash::platform()
{
    static const RecycleBinTrash trash;
    return trash;
}

} // namespace mt
