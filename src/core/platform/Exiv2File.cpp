#include "platform/Exiv2File.h"

#include "media/NativePath.h"
#include "metadata/Exiv2Compat.h"

#include <QCoreApplication>

namespace mt {

Result<std::unique_ptr<Exiv2File>> Exiv2File::open(const QString &path, CFileAccess access)
{
    std::unique_ptr<Exiv2File> file(new Exiv2File);
    try {
        if (access == CFileAccess::ByName) {
            file->m_image = exiv2compat::openFile(NativePath::forCLibrary(path).toStdString());
        } else {
            if (Status opened = NativePath::open(file->m_file, path, QIODevice::ReadOnly); !opened)
                return opened.error();
            const qint64 size = file->m_file.size();
            if (size == 0)
                return makeError(Error::Code::Empty, QCoreApplication::translate("Exiv2File", "the file is empty (0 bytes)"));
            const uchar *data = file->m_file.map(0, size);
            if (!data)
                return makeError(Error::Code::Io, QCoreApplication::translate("Exiv2File", "cannot read: %1").arg(file->m_file.errorString()));
            file->m_image = exiv2compat::openMemory(data, size_t(size));
        }
    } catch (const std::exception &e) {
        return makeError(Error::Code::Corrupt, QCoreApplication::translate("Exiv2File", "cannot read metadata, the file may be damaged: %1")
                                                   .arg(QString::fromLocal8Bit(e.what())));
    }
    if (!file->m_image)
        return makeError(Error::Code::UnsupportedFormat, QCoreApplication::translate("Exiv2File", "unsupported image format"));
    // Only stills come here: a damaged or misnamed file that Exiv2 takes for a video stops here.
    if (exiv2compat::readsAsVideo(*file->m_image))
        return makeError(Error::Code::Corrupt, QCoreApplication::translate("Exiv2File", "cannot read metadata: the file's header is a video's (damaged, or a video with a photo's name)"));
    return file;
}

} // namespace mt
