#include "media/MappedFile.h"

#include "media/NativePath.h"

#include <QCoreApplication>

namespace mt {

Result<std::unique_ptr<MappedFile>> MappedFile::open(const QString &path)
{
    std::unique_ptr<MappedFile> mapped(new MappedFile);
    if (auto opened = NativePath::open(mapped->m_file, path, QIODevice::ReadOnly); !opened)
        return opened.error();
    const qint64 size = mapped->m_file.size();
    if (size <= 0)
        return makeError(Error::Code::Empty, QCoreApplication::translate("MappedFile", "the file is empty (0 bytes)"));
    const uchar *data = mapped->m_file.map(0, size);
    if (!data)
        return makeError(Error::Code::Io, QCoreApplication::translate("MappedFile", "cannot read the file: %1")
                                              .arg(mapped->m_file.errorString()));
    mapped->m_bytes = QByteArrayView(data, size);
    return mapped;
}

} // namespace mt
