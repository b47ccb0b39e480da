#include "thumbs/RawThumbnailer.h"

#include "media/MappedFile.h"
#include "metadata/Cr3Boxes.h"
#include "metadata/ExifFields.h"
#include "metadata/Exiv2Compat.h"
#include "metadata/RawMetadataReader.h"
#include "thumbs/ExifOrientation.h"
#include "thumbs/LibRawDecoder.h"
#include "media/MediaBudget.h"
#include "thumbs/ThumbnailSize.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QImageReader>

#include <algorithm>
#include <memory>
#include <vector>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

constexpr int kSmallestFallback = 100; // px, longest edge

// A preview's stored size, from its JPEG header alone.
QSize jpegSize(QByteArrayView jpeg)
{
    QByteArray bytes = QByteArray::fromRawData(jpeg.data(), jpeg.size());
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    return QImageReader(&buffer).size();
}

// The file's previews (smallest first, bytes fetched only for the one decoded: a full-size preview
// is megabytes) and how to turn them upright. Exiv2 finds them; in a CR3, our own box walk does,
// as no third-party CR3 parser is given the file (Cr3Boxes).
class PreviewInventory {
public:
    explicit PreviewInventory(QByteArrayView file)
        : isCr3(Cr3Boxes::isCr3(file))
    {
        initialiseExiv2();
        try {
            if (isCr3)
                readCr3(file);
            else
                readWithExiv2(file);
        } catch (const std::exception &) {
            sizes.clear(); // no readable previews: the caller decodes, or says so
            m_cr3Previews.clear();
        }
    }

    QByteArray bytes(size_t i) const
    {
        if (isCr3)
            return i < m_cr3Previews.size() ? m_cr3Previews[i].toByteArray() : QByteArray();
        try {
            const Exiv2::PreviewImage preview = m_manager->getPreviewImage(m_properties.at(i));
            return QByteArray(reinterpret_cast<const char *>(preview.pData()), qsizetype(preview.size()));
        } catch (const std::exception &) {
            return {};
        }
    }

    const bool isCr3;
    std::vector<QSize> sizes;
    QSize picture;   // the RAW's own stored size, when known
    int orientation = 1;

private:
    void readWithExiv2(QByteArrayView file)
    {
        m_image = exiv2compat::openMemory(reinterpret_cast<const Exiv2::byte *>(file.data()), size_t(file.size()));
        // A video, or ISO BMFF (a CR3 misnamed, Exiv2 0.28): parsers that can spin on crafted input.
        if (!m_image || exiv2compat::readsAsVideo(*m_image) || exiv2compat::readsAsIsoBmff(*m_image))
            return; // no previews Exiv2 can find: LibRaw is asked next
        m_image->readMetadata();
        picture = QSize(int(m_image->pixelWidth()), int(m_image->pixelHeight()));
        orientation = orientationIn(m_image->exifData());
        m_manager = std::make_unique<Exiv2::PreviewManager>(*m_image);
        m_properties = m_manager->getPreviewProperties();
        for (const Exiv2::PreviewProperties &p : m_properties)
            sizes.emplace_back(int(p.width_), int(p.height_));
    }

    void readCr3(QByteArrayView file)
    {
        orientation = orientationIn(RawMetadataReader::cr3Exif(file));
        std::vector<std::pair<QSize, QByteArrayView>> sized;
        for (QByteArrayView jpeg : Cr3Boxes::find(file).previews)
            if (const QSize size = jpegSize(jpeg); size.isValid())
                sized.emplace_back(size, jpeg);
        std::sort(sized.begin(), sized.end(), [](const auto &a, const auto &b) {
            return qint64(a.first.width()) * a.first.height() < qint64(b.first.width()) * b.first.height();
        });
        for (const auto &[size, jpeg] : sized) {
            sizes.push_back(size);
            m_cr3Previews.push_back(jpeg);
        }
    }

    static int orientationIn(const Exiv2::ExifData &exif)
    {
        const auto found = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
        return found != exif.end() && found->count() > 0 ? int(exiv2compat::toInteger(*found)) : 1;
    }

    std::unique_ptr<Exiv2::Image> m_image;
    std::unique_ptr<Exiv2::PreviewManager> m_manager;
    Exiv2::PreviewPropertiesList m_properties;
    std::vector<QByteArrayView> m_cr3Previews; // views into the mapped file, smallest first
};

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
    const PreviewInventory inventory(file);
    if (token.isCancelled())
        return interruptedError(token);
    QString previewProblem;
    if (const int chosen = coveringPreview(inventory, maxEdge); chosen >= 0) {
        auto preview = decodePreview(inventory.bytes(size_t(chosen)), maxEdge, inventory.orientation);
        if (preview)
            return preview;
        previewProblem = preview.error().message;
    }
    // LibRaw 0.20's CR3 parser spins on crafted boxes (fuzz_raw_metadata): a CR3 has only its previews.
    Result<QImage> decoded = inventory.isCr3
        ? Result<QImage>(makeError(Error::Code::UnsupportedFormat, tr("CR3 image data is not decoded, only its embedded previews")))
        : LibRawDecoder().decode(path, maxEdge, token);
    if (decoded || token.isCancelled())
        return decoded;
    // Smaller previews, largest first: a small picture beats none, but an icon-sized one (DNGs
    // carry 8x8 ones) would only look like a broken thumbnail.
    for (size_t i = inventory.sizes.size(); i-- > 0;) {
        if (std::max(inventory.sizes[i].width(), inventory.sizes[i].height()) < std::min(maxEdge, kSmallestFallback))
            break;
        if (auto small = decodePreview(inventory.bytes(i), maxEdge, inventory.orientation))
            return small;
    }
    const QString why = previewProblem.isEmpty() ? tr("the file has no usable embedded preview") : previewProblem;
    return makeError(decoded.error().code, tr("%1, and %2").arg(why, decoded.error().message));
}

} // namespace mt
