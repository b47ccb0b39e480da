// Linux and macOS: names are bytes. Escaped names go through POSIX calls with their exact bytes;
// the others keep Qt's behaviour (Qt's trash also knows macOS and per-drive trash folders).
#include "media/NativePath.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mt {

namespace {

Error errnoError(int error)
{
    const QString text = QString::fromLocal8Bit(std::strerror(error));
    switch (error) {
    case ENOENT:
        return makeError(Error::Code::NotFound, text);
    case EACCES:
    case EPERM:
        return makeError(Error::Code::PermissionDenied, text);
    default:
        return makeError(Error::Code::Io, text);
    }
}

// The freedesktop.org home trash, for the names QFile::moveToTrash cannot express.
Result<QString> moveToHomeTrash(const QString &path)
{
    const QByteArray source = NativePath::toNative(QFileInfo(path).absoluteFilePath());
    const QString trash = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/Trash");
    if (!QDir().mkpath(trash + QStringLiteral("/files")) || !QDir().mkpath(trash + QStringLiteral("/info")))
        return makeError(Error::Code::Io, NativePath::tr("cannot create the trash folder %1").arg(trash));
    struct stat sourceStat {}, trashStat {};
    if (::stat(source.constData(), &sourceStat) != 0)
        return errnoError(errno);
    if (::stat(QFile::encodeName(trash).constData(), &trashStat) != 0 || sourceStat.st_dev != trashStat.st_dev)
        return makeError(Error::Code::Io, NativePath::tr("a file whose name is not UTF-8 can only be moved to the trash on the drive of the home folder"));
    const QByteArray trashBytes = QFile::encodeName(trash);
    const QByteArray name = source.mid(source.lastIndexOf('/') + 1);
    for (int n = 1; n < 1000; ++n) {
        const QByteArray unique = n == 1 ? name : name + '.' + QByteArray::number(n);
        const QByteArray infoPath = trashBytes + "/info/" + unique + ".trashinfo";
        // O_EXCL claims the name atomically, as the specification asks.
        const int fd = ::open(infoPath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return errnoError(errno);
        const QByteArray info = "[Trash Info]\nPath=" + source.toPercentEncoding("/") + "\nDeletionDate="
                              + QDateTime::currentDateTime().toString(Qt::ISODate).toLatin1() + "\n";
        const bool written = ::write(fd, info.constData(), size_t(info.size())) == info.size();
        ::close(fd);
        const QByteArray target = trashBytes + "/files/" + unique;
        if (!written || ::rename(source.constData(), target.constData()) != 0) {
            const int error = errno;
            ::unlink(infoPath.constData());
            return errnoError(written ? error : EIO);
        }
        return NativePath::fromNative(target);
    }
    return makeError(Error::Code::Io, NativePath::tr("too many files of this name in the trash"));
}

} // namespace

QByteArray NativePath::forCLibrary(const QString &path) { return toNative(path); }

NativePath::Status NativePath::status(const QString &path)
{
    if (!isEscaped(path))
        return statusWithQt(path);
    const QByteArray native = toNative(path);
    struct stat st {};
    if (::stat(native.constData(), &st) != 0)
        return {};
    Status s;
    s.exists = true;
    s.isDir = S_ISDIR(st.st_mode);
    s.isFile = S_ISREG(st.st_mode);
    s.readable = ::access(native.constData(), R_OK) == 0;
    s.size = qint64(st.st_size);
    s.modified = QDateTime::fromSecsSinceEpoch(qint64(st.st_mtime));
    return s;
}

QString NativePath::canonicalPath(const QString &path)
{
    if (!isEscaped(path))
        return QFileInfo(path).canonicalFilePath();
    char *resolved = ::realpath(toNative(path).constData(), nullptr);
    if (!resolved)
        return {};
    const QString out = fromNative(QByteArray(resolved));
    ::free(resolved);
    return out;
}

NativePath::Listing NativePath::list(const QString &folder)
{
    Listing listing;
    const QByteArray native = toNative(folder);
    DIR *dir = ::opendir(native.constData());
    if (!dir)
        return listing;
    const QString prefix = folder.endsWith(u'/') ? folder : folder + u'/';
    while (const dirent *entry = ::readdir(dir)) {
        const QByteArray name(entry->d_name);
        if (name == "." || name == "..")
            continue;
        struct stat st {};
        if (::stat((native + '/' + name).constData(), &st) != 0)
            continue; // a dangling link, as QDir leaves it out
        if (S_ISDIR(st.st_mode))
            listing.dirs << prefix + fromNative(name);
        else if (S_ISREG(st.st_mode))
            listing.files << prefix + fromNative(name);
    }
    ::closedir(dir);
    return listing;
}

mt::Status NativePath::open(QFile &file, const QString &path, QIODevice::OpenMode mode)
{
    if (!isEscaped(path))
        return openWithQt(file, path, mode);
    int flags = O_CLOEXEC;
    if ((mode & QIODevice::ReadWrite) == QIODevice::ReadWrite)
        flags |= O_RDWR | O_CREAT;
    else if (mode & QIODevice::WriteOnly)
        flags |= O_WRONLY | O_CREAT | ((mode & QIODevice::Append) ? O_APPEND : O_TRUNC);
    else
        flags |= O_RDONLY;
    const int fd = ::open(toNative(path).constData(), flags, 0666);
    if (fd < 0)
        return errnoError(errno);
    if (!file.open(fd, mode, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return makeError(Error::Code::Io, file.errorString());
    }
    return Done{};
}

bool NativePath::rename(const QString &from, const QString &to)
{
    if (!isEscaped(from) && !isEscaped(to))
        return QFile::rename(from, to);
    // QFile::rename never replaces an existing file; neither does this.
    const QByteArray target = toNative(to);
    struct stat st {};
    if (::lstat(target.constData(), &st) == 0)
        return false;
    return ::rename(toNative(from).constData(), target.constData()) == 0;
}

bool NativePath::remove(const QString &path)
{
    return isEscaped(path) ? ::unlink(toNative(path).constData()) == 0 : QFile::remove(path);
}

Result<QString> NativePath::moveToTrash(const QString &path)
{
    return isEscaped(path) ? moveToHomeTrash(path) : moveToTrashWithQt(path);
}

} // namespace mt
