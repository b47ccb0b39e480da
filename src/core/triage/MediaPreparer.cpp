#include "triage/MediaPreparer.h"

#include "metadata/MetadataReader.h"
#include "thumbs/ThumbnailGenerator.h"
#include "video/VideoCompressor.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QPainter>

#include <atomic>

namespace mt {

Result<PreparedMedia> DownscalingPhotoPreparer::prepare(const MediaItem &item, const CancellationToken &token) const
{
    if (token.isCancelled())
        return makeError(Error::Code::Cancelled, tr("cancelled"));
    // The thumbnail engine's decode is the one way to get an upright, scaled picture of any photo
    // we accept (DCT-domain JPEG scaling, libheif for HEIC, never upscaled), within the same time
    // budget as any thumbnail so a damaged photo cannot hold up the batch.
    auto decoded = ThumbnailGenerator::generateWithinBudget(item, m_maxEdge, token);
    if (!decoded)
        return decoded.error();
    const QImage &image = *decoded;

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
    // The clip's transcode budget (from its claimed duration and frame size) bounds the work
    // within `token`; the compressor reports any stop as a cancel, so the reason is asked here.
    auto work = budgetedWork(item, MediaTask::Transcode, token);
    if (!work)
        return work.error();
    auto report = VideoCompressor().compress(item.path, output, {}, work->token);
    if (!report)
        return work->token.isCancelled() ? interruptedError(work->token) : report.error();
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
