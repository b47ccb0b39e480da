#include "AppPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace mt::app {

QString sampleFolder()
{
    const QString bin = QCoreApplication::applicationDirPath();
    QStringList candidates{
        bin + QStringLiteral("/../share/mediatriage/samples"),            // Linux prefix install
        bin + QStringLiteral("/../Resources/samples"),                     // macOS bundle
        bin + QStringLiteral("/samples"),                                  // Windows deployment
    };
    for (const QString &dir : QStandardPaths::standardLocations(QStandardPaths::GenericDataLocation))
        candidates << dir + QStringLiteral("/mediatriage/samples");
#ifdef MT_SOURCE_SAMPLES_DIR
    candidates << QStringLiteral(MT_SOURCE_SAMPLES_DIR);
#endif
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isDir())
            return QDir::cleanPath(QFileInfo(candidate).absoluteFilePath());
    }
    return {};
}

} // namespace mt::app
