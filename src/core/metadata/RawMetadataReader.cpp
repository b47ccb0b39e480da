#include "metadata/RawMetadataReader.h"

#include "media/MappedFile.h"
#include "metadata/Cr3Boxes.h"
#include "metadata/ExifFields.h"
#include "metadata/Exiv2Compat.h"

#include <QCoreApplication>
#include <QtEndian>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("RawMetadataReader", text); }

std::optional<int64_t> exifInteger(const Exiv2::ExifData &exif, uint16_t tag, const char *group)
{
    try {
        const auto it = exif.findKey(Exiv2::ExifKey(tag, group));
        if (it == exif.end() || it->count() == 0)
            return std::nullopt;
        return exiv2compat::toInteger(*it);
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

std::optional<QSize> sizeFrom(std::optional<int64_t> w, std::optional<int64_t> h)
{
    if (!w || !h || *w <= 0 || *h <= 0)
        return std::nullopt;
    return QSize(int(*w), int(*h));
}

// RW2 keeps the crop of the sensor as borders (tags 4..7 of its IFD0).
std::optional<QSize> panasonicSize(const Exiv2::ExifData &exif)
{
    const auto top = exifInteger(exif, 0x0004, "PanasonicRaw"), left = exifInteger(exif, 0x0005, "PanasonicRaw");
    const auto bottom = exifInteger(exif, 0x0006, "PanasonicRaw"), right = exifInteger(exif, 0x0007, "PanasonicRaw");
    if (!top || !left || !bottom || !right)
        return std::nullopt;
    return sizeFrom(*right - *left, *bottom - *top);
}

void setDisplayedSize(MediaMetadata &md, QSize stored)
{
    const bool swapped = md.orientation && *md.orientation >= 5;
    md.width = swapped ? stored.height() : stored.width();
    md.height = swapped ? stored.width() : stored.height();
}

Result<MediaMetadata> readWithExiv2(const MediaItem &item, QByteArrayView file)
{
    MediaMetadata md;
    const auto image = exiv2compat::openMemory(reinterpret_cast<const Exiv2::byte *>(file.data()), size_t(file.size()));
    // A file that only claims to be RAW (a QuickTime movie sniffed as RW2) must not reach Exiv2's
    // video or BMFF parsers: on crafted movies they spin for minutes (found by fuzz_media_mov).
    // Asked of the class, before readMetadata(): opening only sniffed the header.
    if (!image || exiv2compat::readsAsVideo(*image) || exiv2compat::readsAsIsoBmff(*image))
        return makeError(Error::Code::UnsupportedFormat, tr("not a RAW format Exiv2 knows"));
    image->readMetadata();
    const Exiv2::ExifData &exif = image->exifData();
    fillExifFields(exif, md);
    std::optional<QSize> size;
    if (item.mime == QLatin1String("image/x-fuji-raf"))
        size = RawMetadataReader::rafCroppedSize(file); // its Exif describes the JPEG preview
    else if (item.mime == QLatin1String("image/x-panasonic-rw2"))
        size = panasonicSize(exif);
    else
        size = sizeFrom(exifInteger(exif, 0xa002, "Photo"), exifInteger(exif, 0xa003, "Photo"));
    if (!size)
        size = sizeFrom(image->pixelWidth(), image->pixelHeight());
    if (size)
        setDisplayedSize(md, *size);
    return md;
}

// CR3 is ISO BMFF, which Exiv2 reads only through its box walkers (see exiv2compat::readsAsIsoBmff):
// our bounded walk (Cr3Boxes) finds its two TIFF blocks, which Exiv2's TIFF parser, the one every
// other RAW goes through, decodes on their own.
Result<MediaMetadata> readCr3(QByteArrayView file)
{
    const Exiv2::ExifData exif = RawMetadataReader::cr3Exif(file);
    if (exif.empty())
        return makeError(Error::Code::Corrupt, tr("cannot read the CR3 file's metadata: its Canon metadata boxes (CMT1, CMT2) "
                                                  "are missing or damaged"));
    MediaMetadata md;
    fillExifFields(exif, md);
    if (const auto size = sizeFrom(exifInteger(exif, 0xa002, "Photo"), exifInteger(exif, 0xa003, "Photo")))
        setDisplayedSize(md, *size);
    return md;
}

} // namespace

Exiv2::ExifData RawMetadataReader::cr3Exif(QByteArrayView file)
{
    const Cr3Boxes boxes = Cr3Boxes::find(file);
    Exiv2::ExifData exif;
    const auto decode = [](Exiv2::ExifData &into, QByteArrayView tiff) {
        try {
            Exiv2::ExifParser::decode(into, reinterpret_cast<const Exiv2::byte *>(tiff.data()), uint32_t(tiff.size()));
        } catch (const std::exception &) {
            // A damaged block loses its own tags, not the other block's.
        }
    };
    if (!boxes.cmt1.isEmpty())
        decode(exif, boxes.cmt1);
    if (!boxes.cmt2.isEmpty()) {
        Exiv2::ExifData photo;
        decode(photo, boxes.cmt2);
        for (const Exiv2::Exifdatum &d : photo)
            exif.add(Exiv2::ExifKey(d.tag(), "Photo"), &d.value());
    }
    return exif;
}

std::optional<QSize> RawMetadataReader::rafCroppedSize(QByteArrayView file)
{
    // Header: offsets at 84 (JPEG), 92 (the CFA header: a count, then tag/size/data records).
    if (file.size() < 100 || !file.startsWith("FUJIFILMCCD-RAW"))
        return std::nullopt;
    qsizetype at = qFromBigEndian<quint32>(file.data() + 92);
    if (at <= 0 || at + 4 > file.size())
        return std::nullopt;
    const quint32 count = qFromBigEndian<quint32>(file.data() + at);
    at += 4;
    for (quint32 i = 0; i < count && at + 4 <= file.size(); ++i) {
        const quint16 tag = qFromBigEndian<quint16>(file.data() + at);
        const quint16 size = qFromBigEndian<quint16>(file.data() + at + 2);
        if (tag == 0x111 && size == 4 && at + 8 <= file.size())
            return sizeFrom(qFromBigEndian<quint16>(file.data() + at + 6), qFromBigEndian<quint16>(file.data() + at + 4));
        at += 4 + size;
    }
    return std::nullopt;
}

Result<MediaMetadata> RawMetadataReader::read(const MediaItem &item)
{
    initialiseExiv2();
    auto mapped = MappedFile::open(item.path);
    if (!mapped)
        return mapped.error();
    const QByteArrayView file = (*mapped)->bytes();
    try {
        return item.mime == QLatin1String("image/x-canon-cr3") ? readCr3(file) : readWithExiv2(item, file);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Corrupt, tr("cannot read the RAW file's metadata, it may be damaged: %1")
                                                   .arg(QString::fromLocal8Bit(e.what())));
    }
}

} // namespace mt
