#include "lambda/LambdaThumbnail.h"

#include "thumbs/ThumbnailGenerator.h"

#include <QImageWriter>

namespace mt::lambda {

Result<QImage> LambdaThumbnail::render(const MediaItem &item, const CancellationToken &token)
{
    return ThumbnailGenerator::generateWithinBudget(item, kEdge, token);
}

bool LambdaThumbnail::save(const QImage &image, const QString &path)
{
    QImageWriter writer(path, "jpeg");
    writer.setQuality(85);
    return writer.write(image.convertToFormat(QImage::Format_RGB32));
}

} // namespace mt::lambda
