#include "thumbs/ThumbnailGenerator.h"

#include "media/MediaBudget.h"
#include "media/MediaType.h"
#include "media/NativePath.h"
#include "metadata/MetadataReader.h"
#include "thumbs/HeifThumbnailer.h"
#include "thumbs/ImageThumbnailer.h"
#include "thumbs/RawThumbnailer.h"
#include "thumbs/ThumbnailSize.h"
#include "thumbs/VideoThumbnailer.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

bool isHeif(const QString &mime)
{
    return mime == QLatin1String("image/heic") || mime == QLatin1String("image/heif")
        || mime == QLatin1String("image/avif") || mime == QLatin1String("image/heic-sequence");
}

// The scanner's error text, with a code that tells callers (the failure cache) whether trying
// again later could help.
Error itemError(const MediaItem &item)
{
    const NativePath::Status info = NativePath::status(item.path);
    if (!info.exists)
        return makeError(Error::Code::NotFound, *item.error);
    if (item.sizeBytes == 0)
        return makeError(Error::Code::Empty, *item.error);
    if (!info.readable)
        return makeError(Error::Code::PermissionDenied, *item.error);
    return makeError(Error::Code::UnsupportedFormat, *item.error);
}

} // namespace

Result<QImage> ThumbnailGenerator::generate(const QString &path, int maxEdge, const CancellationToken &token)
{
    return generate(inspectFile(path), maxEdge, token);
}

Result<QImage> ThumbnailGenerator::generate(const MediaItem &item, int maxEdge, const CancellationToken &token)
{
    if (maxEdge <= 0)
        return makeError(Error::Code::InvalidArgument, tr("the thumbnail size must be positive"));
    if (!item.ok())
        return itemError(item);
    if (token.isCancelled())
        return interruptedError(token);
    if (item.kind == MediaKind::Video)
        return VideoThumbnailer().thumbnail(item.path, maxEdge, token);
    if (isHeif(item.mime))
        return HeifThumbnailer().thumbnail(item.path, maxEdge, token);
    if (isRawMime(item.mime))
        return RawThumbnailer().thumbnail(item.path, maxEdge, token);
    // Without Qt's WebP plugin FFmpeg's still-image decoder stands in.
    if (item.mime == QLatin1String("image/webp") && !ImageThumbnailer::canRead("webp"))
        return VideoThumbnailer().thumbnail(item.path, maxEdge, token);
    return ImageThumbnailer().thumbnail(item.path, maxEdge, token);
}

Result<QImage> ThumbnailGenerator::generateWithinBudget(const MediaItem &item, int maxEdge, const CancellationToken &token)
{
    auto work = budgetedWork(item, MediaTask::Thumbnail, token);
    if (!work)
        return work.error();
    return generate(item, maxEdge, work->token);
}

} // namespace mt
