#include "platform/SystemTrash.h"

#include <QDir>
#include <QFileInfo>

namespace mt {

QString RecycleBinTrash::recordOf(const QString &trashedPath) const
{
    // C:\$Recycle.Bin\<SID>\$RABC123.jpg ↔ $IABC123.jpg in the same folder.
    const QFileInfo info(trashedPath);
    const QString name = info.fileName();
    if (!name.startsWith(QLatin1String("$R")))
        return {};
    return info.dir().filePath(QStringLiteral("$I") + name.mid(2));
}

} // namespace mt
