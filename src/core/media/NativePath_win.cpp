// Windows: names are UTF-16, which QString holds as is, so Qt's own functions reach every file
// and no name is ever escaped.
#include "media/NativePath.h"

#include <QDir>
#include <QFileInfo>

namespace mt {

// Only a label here: FFmpeg and Exiv2 read through Qt on Windows (CFileAccess::ThroughQt), since
// a char* name reaches their fopen through the ANSI code page. UTF-8 keeps their messages readable.
QByteArray NativePath::forCLibrary(const QString &path) { return path.toUtf8(); }

NativePath::Status NativePath::status(const QString &path) { return statusWithQt(path); }

QString NativePath::canonicalPath(const QString &path) { return QFileInfo(path).canonicalFilePath(); }

NativePath::Listing NativePath::list(const QString &folder)
{
    // Without QDir::Hidden, files with the hidden attribute are left out, as Explorer does.
    Listing listing;
    const QDir dir(folder);
    for (const QFileInfo &info : dir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot))
        listing.files << info.filePath();
    for (const QFileInfo &info : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot))
        listing.dirs << info.filePath();
    return listing;
}

mt::Status NativePath::open(QFile &file, const QString &path, QIODevice::OpenMode mode) { return openWithQt(file, path, mode); }

bool NativePath::rename(const QString &from, const QString &to) { return QFile::rename(from, to); }

bool NativePath::remove(const QString &path) { return QFile::remove(path); }

Result<QString> NativePath::moveToTrash(const QString &path) { return moveToTrashWithQt(path); }

} // namespace mt
