#include "triage/ContentHash.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>

namespace mt {

Result<QString> contentHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, QCoreApplication::translate("Triage", "cannot read: %1").arg(file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return makeError(Error::Code::Io, QCoreApplication::translate("Triage", "cannot read: %1").arg(file.errorString()));
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace mt
