#include "lambda/LambdaThumbnail.h"

#include "metadata/MetadataReader.h"
#include "thumbs/ThumbnailGenerator.h"

#include <QImageWriter>

namespace mt::lambda {

Result<QImage> LambdaThumbnail::render(const MediaItem &item, const CancellationToken &token)
{
    auto work = budgetedWork(item, MediaTask::Thumbnail, token);
    if (!work)
        return work.error();
    return ThumbnailGenerator::generate(item, kEdge, work->token);
}

bool LambdaThumbnail::save(const QImage &image, const QString &path)
{
    QImageWriter writer(path, "jpeg");
    writer.setQuality(85);
    return writer.write(image.convertToFormat(QImage::Format_RGB32));
}

} // namespace mt::lambda
