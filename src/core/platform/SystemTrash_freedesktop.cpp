#include "platform/SystemTrash.h"

#include "media/NativePath.h"

#include <QDir>
#include <QFileInfo>

namespace mt {

Result<QString> FreedesktopTrash::moveToTrash(const QString &path) const
{
    // Qt's own trash for every name it can express, the home trash by bytes for the others.
    return NativePath::moveToTrash(path);
}

QString FreedesktopTrash::recordOf(const QString &trashedPath) const
{
    // <trash>/files/<name> ↔ <trash>/info/<name>.trashinfo
    const QFileInfo info(trashedPath);
    return QDir::cleanPath(info.absolutePath() + QStringLiteral("/../info/") + info.fileName() + QStringLiteral(".trashinfo"));
}

} // namespace mt
