#include "common/CorruptFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace mt {

namespace {

// Two failures within one second (the time stamp's resolution) must not overwrite each other.
QString unusedName(const QString &path)
{
    const QString base = path + QStringLiteral(".corrupt-") + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString name = base;
    for (int n = 2; QFileInfo::exists(name); ++n)
        name = base + QLatin1Char('-') + QString::number(n);
    return name;
}

} // namespace

Result<QString> CorruptFile::moveAside(const QString &path, const QStringList &siblingSuffixes)
{
    const QString target = unusedName(path);
    if (!QFile::rename(path, target))
        return makeError(Error::Code::Io, tr("%1 is damaged and could not be moved aside to %2. Move or delete it, then try again.")
                                              .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(target)));
    // A sibling (SQLite's rollback journal) belongs to the damaged file, not to the fresh one.
    for (const QString &suffix : siblingSuffixes) {
        if (QFileInfo::exists(path + suffix) && !QFile::rename(path + suffix, target + suffix))
            QFile::remove(path + suffix);
    }
    return target;
}

QString CorruptFile::notice(const QString &what, const QString &why, const QString &movedTo)
{
    return tr("%1 could not be read (%2). It was moved to %3 and a new, empty one was started.")
        .arg(what, why, QDir::toNativeSeparators(movedTo));
}

} // namespace mt
