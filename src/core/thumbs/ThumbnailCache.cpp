#include "thumbs/ThumbnailCache.h"

#include "media/MediaType.h"
#include "media/NativePath.h"
#include "platform/ThumbnailCacheLocation.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>
#include <QImageWriter>
#include <QStandardPaths>
#include <QSaveFile>
#include <QUrl>

#include <cmath>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

const QString kUri = QStringLiteral("Thumb::URI");
const QString kMTime = QStringLiteral("Thumb::MTime");
const QString kSize = QStringLiteral("Thumb::Size");
const QString kMime = QStringLiteral("Thumb::Mimetype");
const QString kError = QStringLiteral("X-MediaTriage::Error");

struct PngHeader {
    QSize size;
    QHash<QString, QString> text;
};

quint32 bigEndian32(const char *p)
{
    const auto *u = reinterpret_cast<const uchar *>(p);
    return (quint32(u[0]) << 24) | (quint32(u[1]) << 16) | (quint32(u[2]) << 8) | quint32(u[3]);
}

QByteArray inflate(const QByteArray &zlibStream)
{
    // qUncompress wants a 4-byte size hint in front and grows its buffer when the hint is low.
    QByteArray prefixed("\x00\x00\x10\x00", 4);
    prefixed += zlibStream;
    return qUncompress(prefixed);
}

// The PNG's size and the text chunks before its pixels, where thumbnailers write Thumb::*;
// validating a hit this way costs a fraction of a millisecond. (QImageReader::text() can't be
// used: it splits "Thumb::URI: ..." at the first colon.)
std::optional<PngHeader> readPngHeader(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.read(8) != QByteArray("\x89PNG\r\n\x1A\n", 8))
        return std::nullopt;
    PngHeader header;
    for (int chunks = 0; chunks < 64; ++chunks) {
        const QByteArray head = file.read(8);
        if (head.size() != 8)
            return std::nullopt;
        const quint32 length = bigEndian32(head.constData());
        const QByteArray type = head.mid(4);
        if (type == "IDAT" || type == "IEND")
            break;
        if (length > 1 << 20)
            return std::nullopt;
        const QByteArray data = file.read(length + 4).chopped(4); // without the CRC
        if (data.size() != qsizetype(length))
            return std::nullopt;
        if (type == "IHDR" && length >= 8) {
            header.size = QSize(int(bigEndian32(data.constData())), int(bigEndian32(data.constData() + 4)));
            continue;
        }
        const qsizetype nul = data.indexOf('\0');
        if (nul <= 0)
            continue;
        const QString key = QString::fromLatin1(data.left(nul));
        if (type == "tEXt") {
            header.text.insert(key, QString::fromLatin1(data.mid(nul + 1)));
        } else if (type == "zTXt") {
            header.text.insert(key, QString::fromLatin1(inflate(data.mid(nul + 2))));
        } else if (type == "iTXt" && data.size() > nul + 2) {
            // key\0, compressed flag, method, language\0, translated key\0, UTF-8 text
            const bool compressed = data[nul + 1] != 0;
            const qsizetype language = data.indexOf('\0', nul + 3);
            const qsizetype translated = language < 0 ? -1 : data.indexOf('\0', language + 1);
            if (translated < 0)
                continue;
            const QByteArray text = data.mid(translated + 1);
            header.text.insert(key, QString::fromUtf8(compressed ? inflate(text) : text));
        }
    }
    if (header.size.isEmpty())
        return std::nullopt;
    return header;
}

std::optional<PngHeader> validHeader(const QString &path, const SourceFile &source)
{
    auto header = readPngHeader(path);
    if (!header || header->text.value(kUri) != source.uri)
        return std::nullopt;
    // The standard says integer seconds; some writers add a fraction, still the same second.
    bool ok = false;
    const double mtime = header->text.value(kMTime).toDouble(&ok);
    if (!ok || qint64(std::floor(mtime)) != source.mtime)
        return std::nullopt;
    const QString size = header->text.value(kSize);
    if (!size.isEmpty() && size.toLongLong() != source.size)
        return std::nullopt;
    return header;
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
    const NativePath::Status status = NativePath::status(path); // names that are not UTF-8 too
    if (!status.exists || !status.isFile)
        return std::nullopt;
    SourceFile source;
    source.path = info.absoluteFilePath();
    source.uri = ThumbnailCache::uriFor(source.path);
    source.mtime = status.modified.toSecsSinceEpoch();
    source.size = status.size;
    if (const auto type = mediaTypeForExtension(info.fileName()))
        source.mime = type->mime;
    return source;
}

ThumbnailCache::ThumbnailCache(QString root) : m_root(std::move(root)) {}

QString ThumbnailCache::defaultRoot()
{
    return ThumbnailCacheLocation::platform();
}

QString ThumbnailCache::uriFor(const QString &absolutePath)
{
    const QString clean = QDir::cleanPath(absolutePath);
    if (NativePath::isEscaped(clean)) // the URI other programs compute from the name's bytes
        return QStringLiteral("file://") + QString::fromLatin1(NativePath::toNative(clean).toPercentEncoding("/"));
    return QString::fromLatin1(QUrl::fromLocalFile(clean).toEncoded());
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
    const auto header = validHeader(path, source);
    if (!header)
        return std::nullopt;
    return CachedThumbnail{path, header->size};
}

std::optional<QImage> ThumbnailCache::findLarger(const SourceFile &source, int size) const
{
    for (const ThumbnailFlavor &f : kThumbnailFlavors) {
        if (f.size <= size)
            continue;
        const QString path = thumbnailPath(source.uri, f.size);
        if (!validHeader(path, source))
            continue;
        QImageReader reader(path, "png");
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
    const auto header = validHeader(failurePath(source.uri), source);
    if (!header)
        return std::nullopt;
    const QString message = header->text.value(kError);
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
    // either the old file or the complete new one, never a half-written PNG. QSaveFile closes
    // before it renames (Windows cannot rename a file that is still open) and replaces the old
    // thumbnail in one step on every platform.
    QSaveFile temp(path);
    if (!temp.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io, tr("cannot write to the thumbnail folder: %1").arg(temp.errorString()));
    temp.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QImageWriter writer(&temp, "png");
    // Low zlib effort: thumbnails are small and written on the scrolling path.
    writer.setQuality(70);
    if (!writer.write(image))
        return makeError(Error::Code::Io, tr("cannot write the thumbnail: %1").arg(writer.errorString()));
    if (!temp.commit())
        return makeError(Error::Code::Io, tr("cannot save the thumbnail: %1").arg(temp.errorString()));
    return Done{};
}

} // namespace mt
