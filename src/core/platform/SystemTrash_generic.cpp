#include "platform/SystemTrash.h"

#include <QFile>

namespace mt {

Result<QString> QtTrash::moveToTrash(const QString &path) const
{
    QFile file(path);
    if (!file.moveToTrash())
        return makeError(Error::Code::Io, file.errorString());
    return file.fileName(); // where it went
}

QString QtTrash::recordOf(const QString &) const { return {}; }

} // namespace mt
