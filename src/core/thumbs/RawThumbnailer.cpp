#include "thumbs/RawThumbnailer.h"

#include "media/MappedFile.h"
#include "metadata/ExifFields.h"
#include "thumbs/ExifOrientation.h"
#include "thumbs/LibRawDecoder.h"
#include "media/MediaBudget.h"
#include "thumbs/ThumbnailSize.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QImageReader>

#include <exiv2/exiv2.hpp>

#include <vector>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

constexpr int kSmallestFallback = 100; // px, longest edge

// What Exiv2 found in the file: its previews (smallest first) and how to turn them upright.
struct PreviewInventory {
    std::vector<QByteArray> jpegOrTiff; // encoded previews, ascending size
    std::vector<QSize> sizes;
    QSize picture;   // the RAW's own stored size, when Exiv2 knows it
    int orientation = 1;
};

PreviewInventory readPreviews(QByteArrayView file)
{
    initialiseExiv2();
    PreviewInventory inventory;
    try {
        auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte *>(file.data()), long(file.size()));
        if (!image.get())
            return inventory;
        image->readMetadata();
        inventory.picture = QSize(int(image->pixelWidth()), int(image->pixelHeight()));
        const auto orientation = image->exifData().findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
        if (orientation != image->exifData().end() && orientation->count() > 0)
            inventory.orientation = int(orientation->toLong(0));
        Exiv2::PreviewManager manager(*image);
        for (const Exiv2::PreviewProperties &p : manager.getPreviewProperties()) {
            const Exiv2::PreviewImage preview = manager.getPreviewImage(p);
            inventory.jpegOrTiff.emplace_back(reinterpret_cast<const char *>(preview.pData()), qsizetype(preview.size()));
            inventory.sizes.emplace_back(int(p.width_), int(p.height_));
        }
    } catch (const std::exception &) {
        // No readable previews: LibRaw is asked next.
    }
    return inventory;
}

Result<QImage> decodePreview(const QByteArray &encoded, int maxEdge, int orientation)
{
    QBuffer buffer;
    buffer.setData(encoded);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(false); // the RAW's IFD0 orientation applies, not the preview's own
    const QSize stored = reader.size();
    if (stored.isValid())
        reader.setScaledSize(fitWithin(stored, maxEdge));
    QImage image;
    if (!reader.read(&image) || image.isNull())
        return makeError(Error::Code::Corrupt, tr("the embedded preview is damaged: %1").arg(reader.errorString()));
    const QSize wanted = fitWithin(image.size(), maxEdge);
    if (wanted != image.size())
        image = image.scaled(wanted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return applyExifOrientation(image.convertToFormat(QImage::Format_RGB32), orientation);
}

// The smallest preview that covers `maxEdge`, or the whole picture when it is smaller than that.
int coveringPreview(const PreviewInventory &inventory, int maxEdge)
{
    const int needed = inventory.picture.isEmpty()
        ? maxEdge : std::min(maxEdge, std::max(inventory.picture.width(), inventory.picture.height()));
    for (size_t i = 0; i < inventory.sizes.size(); ++i)
        if (std::max(inventory.sizes[i].width(), inventory.sizes[i].height()) >= needed)
            return int(i);
    return -1;
}

} // namespace

Result<QImage> RawThumbnailer::thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const
{
    auto mapped = MappedFile::open(path);
    if (!mapped)
        return mapped.error();
    const QByteArrayView file = (*mapped)->bytes();
    const PreviewInventory inventory = readPreviews(file);
    if (token.isCancelled())
        return interruptedError(token);
    QString previewProblem;
    if (const int chosen = coveringPreview(inventory, maxEdge); chosen >= 0) {
        auto preview = decodePreview(inventory.jpegOrTiff[size_t(chosen)], maxEdge, inventory.orientation);
        if (preview)
            return preview;
        previewProblem = preview.error().message;
    }
    auto decoded = LibRawDecoder().decode(file, maxEdge, token);
    if (decoded || token.isCancelled())
        return decoded;
    // Smaller previews, largest first: a small picture beats none, but an icon-sized one (DNGs
    // carry 8x8 ones) would only look like a broken thumbnail.
    for (size_t i = inventory.jpegOrTiff.size(); i-- > 0;) {
        if (std::max(inventory.sizes[i].width(), inventory.sizes[i].height()) < std::min(maxEdge, kSmallestFallback))
            break;
        if (auto small = decodePreview(inventory.jpegOrTiff[i], maxEdge, inventory.orientation))
            return small;
    }
    const QString why = previewProblem.isEmpty() ? tr("the file has no usable embedded preview") : previewProblem;
    return makeError(decoded.error().code, tr("%1, and %2").arg(why, decoded.error().message));
}

} // namespace mt
