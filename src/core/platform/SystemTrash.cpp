#include "platform/SystemTrash.h"

#include "media/NativePath.h"

#include <QDir>
#include <QFileInfo>

namespace mt {

Status SystemTrash::restore(const QString &trashedPath, const QString &originalPath) const
{
    if (NativePath::status(originalPath).exists)
        return makeError(Error::Code::InvalidArgument, tr("a file with that name exists again"));
    if (!NativePath::status(trashedPath).exists)
        return makeError(Error::Code::NotFound, tr("no longer in the trash"));
    if (!QDir().mkpath(QFileInfo(originalPath).absolutePath()) || !NativePath::rename(trashedPath, originalPath))
        return makeError(Error::Code::Io, tr("could not be moved back"));
    if (const QString record = recordOf(trashedPath); !record.isEmpty())
        NativePath::remove(record); // a stale record only shows a ghost entry; the file is back
    return Done{};
}

} // namespace mt
