#include "thumbs/ThumbnailCache.h"

#include "media/MediaType.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QUrl>

#include <cmath>
#include <filesystem>
#include <system_error>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

const QString kUri = QStringLiteral("Thumb::URI");
const QString kMTime = QStringLiteral("Thumb::MTime");
const QString kSize = QStringLiteral("Thumb::Size");
const QString kMime = QStringLiteral("Thumb::Mimetype");
const QString kError = QStringLiteral("X-MediaTriage::Error");

// Reads only the PNG header and the text chunks before the pixels (where every thumbnailer
// writes them), so validating a hit costs a fraction of a millisecond.
bool describesSource(QImageReader &reader, const SourceFile &source)
{
    if (reader.text(kUri) != source.uri)
        return false;
    // The standard says integer seconds; some writers add a fraction, which is still the same
    // second.
    bool ok = false;
    const double mtime = reader.text(kMTime).toDouble(&ok);
    if (!ok || qint64(std::floor(mtime)) != source.mtime)
        return false;
    const QString size = reader.text(kSize);
    return size.isEmpty() || size.toLongLong() == source.size;
}

Status ensurePrivateFolder(const QString &folder)
{
    if (!QDir().mkpath(folder))
        return makeError(Error::Code::Io, tr("cannot create the thumbnail folder %1").arg(folder));
    // The standard asks for 0700: thumbnails reveal what the originals show.
    QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return Done{};
}

} // namespace

std::optional<SourceFile> SourceFile::stat(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile())
        return std::nullopt;
    SourceFile source;
    source.path = info.absoluteFilePath();
    source.uri = ThumbnailCache::uriFor(source.path);
    source.mtime = info.lastModified().toSecsSinceEpoch();
    source.size = info.size();
    if (const auto type = mediaTypeForExtension(info.fileName()))
        source.mime = type->mime;
    return source;
}

ThumbnailCache::ThumbnailCache(QString root) : m_root(std::move(root)) {}

QString ThumbnailCache::defaultRoot()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/thumbnails");
}

QString ThumbnailCache::uriFor(const QString &absolutePath)
{
    return QString::fromLatin1(QUrl::fromLocalFile(QDir::cleanPath(absolutePath)).toEncoded());
}

QString ThumbnailCache::fileNameFor(const QString &uri)
{
    return QString::fromLatin1(QCryptographicHash::hash(uri.toUtf8(), QCryptographicHash::Md5).toHex())
        + QStringLiteral(".png");
}

QString ThumbnailCache::folderFor(int size)
{
    for (const ThumbnailFlavor &f : kThumbnailFlavors)
        if (f.size == size)
            return QString::fromLatin1(f.folder);
    return {};
}

QString ThumbnailCache::failureFolderName()
{
    return QStringLiteral("mediatriage-" MEDIATRIAGE_VERSION);
}

QString ThumbnailCache::thumbnailPath(const QString &uri, int size) const
{
    return m_root + u'/' + folderFor(size) + u'/' + fileNameFor(uri);
}

QString ThumbnailCache::failurePath(const QString &uri) const
{
    return m_root + QStringLiteral("/fail/") + failureFolderName() + u'/' + fileNameFor(uri);
}

std::optional<CachedThumbnail> ThumbnailCache::find(const SourceFile &source, int size) const
{
    if (!isStandardThumbnailSize(size))
        return std::nullopt;
    const QString path = thumbnailPath(source.uri, size);
    QImageReader reader(path, "png");
    if (!reader.canRead() || !describesSource(reader, source))
        return std::nullopt;
    const QSize imageSize = reader.size();
    if (imageSize.isEmpty())
        return std::nullopt;
    return CachedThumbnail{path, imageSize};
}

std::optional<QImage> ThumbnailCache::findLarger(const SourceFile &source, int size) const
{
    for (const ThumbnailFlavor &f : kThumbnailFlavors) {
        if (f.size <= size)
            continue;
        QImageReader reader(thumbnailPath(source.uri, f.size), "png");
        if (!reader.canRead() || !describesSource(reader, source))
            continue;
        QImage image;
        if (!reader.read(&image))
            continue;
        const QSize wanted = fitWithin(image.size(), size);
        return wanted == image.size() ? image : image.scaled(wanted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    return std::nullopt;
}

Result<QString> ThumbnailCache::store(const SourceFile &source, int size, const QImage &image) const
{
    if (!isStandardThumbnailSize(size))
        return makeError(Error::Code::InvalidArgument,
                         tr("%1 px is not a thumbnail size of the shared cache (128, 256, 512 or 1024)").arg(size));
    QImage tagged = image;
    tagged.setText(kUri, source.uri);
    tagged.setText(kMTime, QString::number(source.mtime));
    tagged.setText(kSize, QString::number(source.size));
    if (!source.mime.isEmpty())
        tagged.setText(kMime, source.mime);
    tagged.setText(QStringLiteral("Software"), QStringLiteral("MediaTriage " MEDIATRIAGE_VERSION));
    const QString path = thumbnailPath(source.uri, size);
    if (const Status st = writeAtomically(path, tagged); !st)
        return st.error();
    return path;
}

std::optional<QString> ThumbnailCache::failure(const SourceFile &source) const
{
    QImageReader reader(failurePath(source.uri), "png");
    if (!reader.canRead() || !describesSource(reader, source))
        return std::nullopt;
    const QString message = reader.text(kError);
    return message.isEmpty() ? tr("could not make a thumbnail earlier") : message;
}

Status ThumbnailCache::storeFailure(const SourceFile &source, const QString &message) const
{
    // The standard's failure record is a PNG like a thumbnail, just without meaningful pixels.
    QImage marker(1, 1, QImage::Format_ARGB32);
    marker.fill(Qt::transparent);
    marker.setText(kUri, source.uri);
    marker.setText(kMTime, QString::number(source.mtime));
    marker.setText(kSize, QString::number(source.size));
    marker.setText(kError, message);
    return writeAtomically(failurePath(source.uri), marker);
}

Status ThumbnailCache::writeAtomically(const QString &path, const QImage &image) const
{
    const QString folder = QFileInfo(path).absolutePath();
    if (const Status st = ensurePrivateFolder(folder); !st)
        return st;
    // Written beside the target and renamed over it, so readers (other programs included) see
    // either the old file or the complete new one, never a half-written PNG.
    QTemporaryFile temp(path + QStringLiteral(".XXXXXX"));
    if (!temp.open())
        return makeError(Error::Code::Io, tr("cannot write to the thumbnail folder: %1").arg(temp.errorString()));
    temp.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QImageWriter writer(&temp, "png");
    // Low zlib effort: thumbnails are small and written on the scrolling path.
    writer.setQuality(70);
    if (!writer.write(image))
        return makeError(Error::Code::Io, tr("cannot write the thumbnail: %1").arg(writer.errorString()));
    if (!temp.flush())
        return makeError(Error::Code::Io, tr("cannot write the thumbnail: %1").arg(temp.errorString()));
    std::error_code ec;
    std::filesystem::rename(std::filesystem::path(QFile::encodeName(temp.fileName()).toStdString()),
                            std::filesystem::path(QFile::encodeName(path).toStdString()), ec);
    if (ec)
        return makeError(Error::Code::Io, tr("cannot save the thumbnail: %1").arg(QString::fromStdString(ec.message())));
    temp.setAutoRemove(false); // it now lives on under its final name
    return Done{};
}

} // namespace mt
