#include "triage/MediaPreparer.h"

#include "common/HeifUtil.h"
#include "video/VideoCompressor.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>

#include <libheif/heif.h>

#include <atomic>

namespace mt {

namespace {

bool isHeif(const QString &mime)
{
    return mime == QLatin1String("image/heic") || mime == QLatin1String("image/heif") || mime == QLatin1String("image/avif");
}

Result<QImage> decodeHeif(const QString &path)
{
    auto file = HeifFile::open(path);
    if (!file)
        return file.error();
    auto handle = (*file)->primaryImage();
    if (!handle)
        return handle.error();
    heif_image *raw = nullptr;
    const heif_error err = heif_decode_image(handle->get(), &raw, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nullptr);
    if (err.code != heif_error_Ok)
        return makeError(Error::Code::Corrupt, QCoreApplication::translate("DownscalingPhotoPreparer", "cannot decode: %1")
                                                   .arg(heifErrorMessage(err)));
    HeifImagePtr image(raw);
    int stride = 0;
    const uint8_t *data = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
    const int w = heif_image_get_width(image.get(), heif_channel_interleaved);
    const int h = heif_image_get_height(image.get(), heif_channel_interleaved);
    if (!data || w <= 0 || h <= 0)
        return makeError(Error::Code::Corrupt, QCoreApplication::translate("DownscalingPhotoPreparer", "cannot decode: no pixels"));
    return QImage(data, w, h, stride, QImage::Format_RGB888).copy();
}

} // namespace

Result<PreparedMedia> DownscalingPhotoPreparer::prepare(const MediaItem &item, const CancellationToken &token) const
{
    if (token.isCancelled())
        return makeError(Error::Code::Cancelled, tr("cancelled"));
    QImage image;
    if (isHeif(item.mime)) {
        auto decoded = decodeHeif(item.path);
        if (!decoded)
            return decoded.error();
        image = std::move(*decoded);
    } else {
        QImageReader reader(item.path);
        reader.setAutoTransform(true);
        const QSize size = reader.size();
        if (size.isValid() && std::max(size.width(), size.height()) > m_maxEdge) {
            // JPEG decodes directly at 1/2, 1/4 or 1/8 size in the DCT domain; asking for exactly
            // such a size skips the full decode and the resampling pass. The result lies between
            // half the limit and the limit, plenty at Gemini's LOW media resolution.
            const bool jpeg = reader.format() == "jpeg" || reader.format() == "jpg";
            QSize scaled = size.scaled(m_maxEdge, m_maxEdge, Qt::KeepAspectRatio);
            if (jpeg) {
                int k = 2;
                while (k < 8 && std::max(size.width(), size.height()) > m_maxEdge * k)
                    k *= 2;
                scaled = QSize((size.width() + k - 1) / k, (size.height() + k - 1) / k);
            }
            reader.setScaledSize(scaled);
        }
        image = reader.read();
        if (image.isNull())
            return makeError(Error::Code::Corrupt, tr("cannot decode: %1").arg(reader.errorString()));
    }
    if (std::max(image.width(), image.height()) > m_maxEdge)
        image = image.scaled(m_maxEdge, m_maxEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation);

    // Only the pixels move to the new image (over white, for transparent PNG/GIF/WebP): no text
    // chunks, comments or colour-space metadata that could carry personal data.
    QImage clean(image.size(), QImage::Format_RGB32);
    clean.fill(Qt::white);
    {
        QPainter painter(&clean);
        painter.drawImage(0, 0, image);
    }
    PreparedMedia out;
    QBuffer buffer(&out.inlineData);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(m_quality);
    if (!writer.write(clean))
        return makeError(Error::Code::Internal, tr("cannot encode JPEG: %1").arg(writer.errorString()));
    out.mimeType = QStringLiteral("image/jpeg");
    out.bytes = out.inlineData.size();
    return out;
}

Result<PreparedMedia> CompressingVideoPreparer::prepare(const MediaItem &item, const QString &workDir,
                                                        const CancellationToken &token) const
{
    static std::atomic<int> serial{0};
    const QString output = QDir(workDir).filePath(
        QStringLiteral("%1-%2.webm").arg(serial.fetch_add(1)).arg(QFileInfo(item.path).completeBaseName()));
    auto report = VideoCompressor().compress(item.path, output, {}, token);
    if (!report)
        return report.error();
    PreparedMedia out;
    out.mimeType = QStringLiteral("video/webm");
    out.uploadPath = report->outputPath.isEmpty() ? output : report->outputPath;
    out.bytes = QFileInfo(out.uploadPath).size();
    return out;
}

MediaPreparer MediaPreparer::makeDefault()
{
    return MediaPreparer(std::make_shared<DownscalingPhotoPreparer>(), std::make_shared<CompressingVideoPreparer>());
}

Result<PreparedMedia> MediaPreparer::prepare(const MediaItem &item, const QString &workDir, const CancellationToken &token) const
{
    if (item.kind == MediaKind::Photo)
        return m_photos->prepare(item, token);
    return m_videos->prepare(item, workDir, token);
}

} // namespace mt
