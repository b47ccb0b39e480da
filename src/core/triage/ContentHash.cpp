#include "triage/ContentHash.h"

#include "media/NativePath.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>

namespace mt {

Result<QString> contentHash(const QString &path)
{
    QFile file;
    if (auto opened = NativePath::open(file, path, QIODevice::ReadOnly); !opened)
        return makeError(Error::Code::Io, QCoreApplication::translate("Triage", "cannot read: %1").arg(opened.error().message));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return makeError(Error::Code::Io, QCoreApplication::translate("Triage", "cannot read: %1").arg(file.errorString()));
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace mt
