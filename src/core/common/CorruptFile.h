#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace mt {

// A store or journal file that cannot be read is never deleted and never silently reused: it is
// renamed to "<path>.corrupt-<yyyyMMdd-HHmmss>" (with its sibling files, e.g. SQLite's "-journal")
// so the person or support can still recover from it, and a fresh file takes its place.
class CorruptFile {
    Q_DECLARE_TR_FUNCTIONS(CorruptFile)
public:
    // Renames `path` and each existing "<path><suffix>" aside; returns the new name of `path`.
    static Result<QString> moveAside(const QString &path, const QStringList &siblingSuffixes = {});
    // The sentence shown to the person once: what was damaged, why, and where it went.
    // `what` is a translated noun phrase such as "The verdict store".
    static QString notice(const QString &what, const QString &why, const QString &movedTo);
};

} // namespace mt
