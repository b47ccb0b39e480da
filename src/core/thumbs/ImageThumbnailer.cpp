#include "thumbs/ImageThumbnailer.h"

#include "media/NativePath.h"
#include "media/MediaBudget.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>
#include <QFile>
#include <QImageReader>
#include <QIODevice>

namespace mt {

namespace {

// A read-only file whose reads fail once the token fires, so a decoder busy with a huge or
// pathological image stops at its next read instead of running past the per-file time limit.
class TokenCheckedFile : public QIODevice {
public:
    TokenCheckedFile(const QString &path, const CancellationToken &token) : m_path(path), m_token(token) {}

    Status openFile()
    {
        if (auto opened = NativePath::open(m_file, m_path, QIODevice::ReadOnly); !opened)
            return opened;
        // Unbuffered: QIODevice's own buffer would get out of step with m_file across seeks.
        if (!open(QIODevice::ReadOnly | QIODevice::Unbuffered))
            return makeError(Error::Code::Io, errorString());
        return Done{};
    }

    bool isSequential() const override { return false; }
    qint64 size() const override { return m_file.size(); }
    bool seek(qint64 pos) override { return m_file.seek(pos) && QIODevice::seek(pos); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        if (m_token.isCancelled())
            return -1;
        return m_file.read(data, maxSize);
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QString m_path;
    QFile m_file;
    CancellationToken m_token;
};

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

} // namespace

bool ImageThumbnailer::canRead(const QByteArray &format)
{
    static const QList<QByteArray> formats = QImageReader::supportedImageFormats();
    return formats.contains(format);
}

Result<QImage> ImageThumbnailer::thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const
{
    TokenCheckedFile file(path, token);
    if (auto opened = file.openFile(); !opened) {
        if (opened.error().code == Error::Code::PermissionDenied)
            return makeError(Error::Code::PermissionDenied, tr("permission denied"));
        return makeError(Error::Code::Io, tr("cannot open: %1").arg(opened.error().message));
    }
    QImageReader reader(&file);
    reader.setAutoTransform(true);
    // The scaled size is in stored (pre-orientation) pixels; the reader rotates afterwards.
    const QSize stored = reader.size();
    if (!reader.canRead()) {
        // A read stopped by the token looks like unreadable data to Qt; reporting it as an
        // unsupported file would put a good file into the failure cache.
        if (token.isCancelled())
            return interruptedError(token);
        return makeError(Error::Code::UnsupportedFormat, tr("not an image format this program can decode"));
    }
    if (stored.isValid()) {
        const QSize target = fitWithin(stored, maxEdge);
        if (target != stored)
            reader.setScaledSize(target);
    }
    QImage image;
    const bool readOk = reader.read(&image);
    if (token.isCancelled())
        return interruptedError(token);
    if (!readOk || image.isNull()) {
        if (reader.error() == QImageReader::InvalidDataError && stored.isValid()
            && qint64(stored.width()) * stored.height() * 4 > qint64(QImageReader::allocationLimit()) * 1024 * 1024)
            return makeError(Error::Code::UnsupportedFormat,
                             tr("the image is too large to decode (%1×%2 pixels)").arg(stored.width()).arg(stored.height()));
        return makeError(Error::Code::Corrupt, tr("cannot decode the image: %1").arg(reader.errorString()));
    }
    // Plugins without scaled decoding (and images whose size was unknown up front) land here.
    const QSize wanted = fitWithin(image.size(), maxEdge);
    if (wanted != image.size())
        image = image.scaled(wanted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    // 16-bit, CMYK-converted, indexed and grayscale results all become plain 8-bit RGB(A), which
    // is what the cache stores and what the views paint fastest.
    const QImage::Format format = image.hasAlphaChannel() ? QImage::Format_ARGB32 : QImage::Format_RGB32;
    if (image.format() != format)
        image.convertTo(format);
    return image;
}

} // namespace mt
