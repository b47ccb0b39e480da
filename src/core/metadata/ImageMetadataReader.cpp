#include "metadata/ImageMetadataReader.h"

#include "common/HeifUtil.h"
#include "media/MediaType.h"
#include "media/NativePath.h"
#include "metadata/AppleMakerNote.h"
#include "metadata/Exiv2Compat.h"
#include "metadata/ExifFields.h"
#include "metadata/HeifBoxProbe.h"
#include "metadata/RawMetadataReader.h"
#include "platform/Exiv2File.h"

#include <QCoreApplication>
#include <QFile>
#include <QImageReader>

#include <exiv2/exiv2.hpp>
#include <libheif/heif.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace mt {

namespace {

void ensureExiv2Initialised()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // XMP's parser is not thread-safe to initialise lazily; Exiv2 warnings would go to stderr.
        Exiv2::XmpParser::initialize();
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    });
}

const Exiv2::Exifdatum *find(const Exiv2::ExifData &exif, const char *key)
{
    try {
        const auto it = exif.findKey(Exiv2::ExifKey(key));
        if (it == exif.end() || it->count() == 0)
            return nullptr;
        return &*it;
    } catch (const std::exception &) {
        return nullptr; // key unknown to this Exiv2 version
    }
}

QString text(const Exiv2::ExifData &exif, const char *key)
{
    const auto *d = find(exif, key);
    if (!d)
        return {};
    return QString::fromStdString(d->toString()).trimmed().remove(QChar(0));
}

std::optional<double> rational(const Exiv2::Exifdatum &d, long n = 0)
{
    if (long(exiv2compat::count(d)) <= n)
        return std::nullopt;
    const Exiv2::Rational r = d.toRational(n);
    if (r.second == 0)
        return std::nullopt;
    return double(r.first) / double(r.second);
}

std::optional<double> number(const Exiv2::ExifData &exif, const char *key)
{
    const auto *d = find(exif, key);
    if (!d)
        return std::nullopt;
    if (d->typeId() == Exiv2::unsignedRational || d->typeId() == Exiv2::signedRational)
        return rational(*d);
    const double v = d->toFloat(0);
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::optional<double> gpsAngle(const Exiv2::ExifData &exif, const char *key, const char *refKey, char negativeRef)
{
    const auto *d = find(exif, key);
    if (!d || d->count() < 1)
        return std::nullopt;
    double value = 0, scale = 1;
    for (long i = 0; i < std::min<long>(d->count(), 3); ++i) {
        const auto part = rational(*d, i);
        if (!part)
            return std::nullopt;
        value += *part / scale;
        scale *= 60;
    }
    const QString ref = text(exif, refKey).toUpper();
    if (!ref.isEmpty() && ref.front() == QLatin1Char(negativeRef))
        value = -value;
    return value;
}

std::optional<GpsPosition> readGps(const Exiv2::ExifData &exif)
{
    const auto lat = gpsAngle(exif, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef", 'S');
    const auto lon = gpsAngle(exif, "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef", 'W');
    if (!lat || !lon || std::abs(*lat) > 90 || std::abs(*lon) > 180)
        return std::nullopt;
    // Some cameras write 0/0 when they never had a fix.
    if (*lat == 0 && *lon == 0)
        return std::nullopt;
    GpsPosition pos{*lat, *lon, std::nullopt};
    if (auto alt = number(exif, "Exif.GPSInfo.GPSAltitude")) {
        const auto *ref = find(exif, "Exif.GPSInfo.GPSAltitudeRef");
        pos.altitude = (ref && exiv2compat::toInteger(*ref) == 1) ? -*alt : *alt;
    }
    return pos;
}

// "+02:00" / "-05:30" → seconds east of UTC.
std::optional<int> parseOffset(const QString &s)
{
    if (s.size() < 6 || (s[0] != u'+' && s[0] != u'-') || s[3] != u':')
        return std::nullopt;
    bool okH = false, okM = false;
    const int h = s.mid(1, 2).toInt(&okH), m = s.mid(4, 2).toInt(&okM);
    if (!okH || !okM || h > 14 || m > 59)
        return std::nullopt;
    const int seconds = h * 3600 + m * 60;
    return s[0] == u'-' ? -seconds : seconds;
}

std::optional<CaptureTime> exifTime(const Exiv2::ExifData &exif, const char *key, const char *offsetKey,
                                    CaptureTime::Source source)
{
    const QString raw = text(exif, key);
    QDateTime dt = QDateTime::fromString(raw.left(19), QStringLiteral("yyyy:MM:dd HH:mm:ss"));
    if (!dt.isValid() || dt.date().year() < 1900)
        return std::nullopt;
    CaptureTime t;
    t.source = source;
    if (const auto offset = parseOffset(text(exif, offsetKey))) {
        dt.setOffsetFromUtc(*offset);
        t.zoneKnown = true;
    }
    t.dateTime = dt;
    return t;
}

// Sub-second time, Apple's MakerNote identifiers and how rich the EXIF is (grouping, Live Photos).
void fillCaptureIdentity(const Exiv2::ExifData &exif, MediaMetadata &md)
{
    md.exifFieldCount = int(exif.count());
    const QString subsec = text(exif, "Exif.Photo.SubSecTimeOriginal").trimmed();
    bool digits = !subsec.isEmpty();
    for (const QChar c : subsec)
        digits = digits && c.isDigit();
    if (digits)
        md.subsecondMs = std::min(999, int(std::lround((QStringLiteral("0.") + subsec).toDouble() * 1000.0)));
    if (const auto *note = find(exif, "Exif.Photo.MakerNote"); note && md.make.startsWith(QLatin1String("Apple"))) {
        QByteArray bytes(qsizetype(note->size()), Qt::Uninitialized);
        note->copy(reinterpret_cast<Exiv2::byte *>(bytes.data()), Exiv2::bigEndian);
        const AppleMakerNote apple = AppleMakerNote::parse(bytes);
        md.contentIdentifier = apple.contentIdentifier;
        md.burstUuid = apple.burstUuid;
    }
}

void fillFromExif(const Exiv2::ExifData &exif, MediaMetadata &md)
{
    if (const auto *o = find(exif, "Exif.Image.Orientation")) {
        const int64_t v = exiv2compat::toInteger(*o);
        if (v >= 1 && v <= 8)
            md.orientation = int(v);
    }
    md.capturedAt = exifTime(exif, "Exif.Photo.DateTimeOriginal", "Exif.Photo.OffsetTimeOriginal",
                             CaptureTime::Source::Exif);
    if (!md.capturedAt)
        md.capturedAt = exifTime(exif, "Exif.Photo.DateTimeDigitized", "Exif.Photo.OffsetTimeDigitized",
                                 CaptureTime::Source::ExifDigitized);
    md.gps = readGps(exif);
    md.make = text(exif, "Exif.Image.Make");
    md.model = text(exif, "Exif.Image.Model");
    md.software = text(exif, "Exif.Image.Software");
    md.lens = text(exif, "Exif.Photo.LensModel");
    if (auto iso = number(exif, "Exif.Photo.ISOSpeedRatings"); iso && *iso > 0)
        md.iso = int(std::lround(*iso));
    if (auto f = number(exif, "Exif.Photo.FNumber"); f && *f > 0)
        md.fNumber = *f;
    if (auto t = number(exif, "Exif.Photo.ExposureTime"); t && *t > 0)
        md.exposureTime = *t;
    if (auto fl = number(exif, "Exif.Photo.FocalLength"); fl && *fl > 0)
        md.focalLength = *fl;
    if (auto fl = number(exif, "Exif.Photo.FocalLengthIn35mmFilm"); fl && *fl > 0)
        md.focalLength35mm = *fl;
    fillCaptureIdentity(exif, md);
}

Error exiv2Error(const std::exception &e)
{
    return makeError(Error::Code::Corrupt, QCoreApplication::translate("ImageMetadataReader", "cannot read metadata, the file may be damaged: %1")
                                               .arg(QString::fromLocal8Bit(e.what())));
}

Result<MediaMetadata> readHeif(const MediaItem &item)
{
    auto file = HeifFile::open(item.path);
    if (!file) {
        if (file.error().code != Error::Code::Corrupt)
            return file.error();
        // Damaged item data (a cut-off download, say): the header may still tell the size.
        QFile raw;
        const uchar *data = NativePath::open(raw, item.path, QIODevice::ReadOnly) ? raw.map(0, raw.size()) : nullptr;
        const auto size = data ? probeHeifPrimarySize(QByteArrayView(data, raw.size())) : std::nullopt;
        if (!size)
            return file.error();
        MediaMetadata md;
        md.width = size->width();
        md.height = size->height();
        return md;
    }
    auto handle = (*file)->primaryImage();
    if (!handle)
        return handle.error();
    MediaMetadata md;
    // libheif reports the size after irot/imir, i.e. as displayed; EXIF orientation must not
    // be applied on top.
    md.width = heif_image_handle_get_width(handle->get());
    md.height = heif_image_handle_get_height(handle->get());
    const QByteArray exifBlock = (*file)->primaryExif();
    if (!exifBlock.isEmpty()) {
        try {
            Exiv2::ExifData exif;
            Exiv2::ExifParser::decode(exif, reinterpret_cast<const Exiv2::byte *>(exifBlock.constData()),
                                      uint32_t(exifBlock.size()));
            fillFromExif(exif, md);
        } catch (const std::exception &) {
            // A damaged Exif block loses the EXIF fields, not the picture.
        }
    }
    return md;
}

Result<MediaMetadata> readRaster(const MediaItem &item)
{
    MediaMetadata md;
    int pixelWidth = 0, pixelHeight = 0;
    try {
        auto file = Exiv2File::open(item.path);
        if (!file)
            return file.error();
        Exiv2::Image *image = &(*file)->image();
        image->readMetadata();
        fillFromExif(image->exifData(), md);
        pixelWidth = image->pixelWidth();
        pixelHeight = image->pixelHeight();
    } catch (const std::exception &e) {
        return exiv2Error(e);
    }
    if (pixelWidth <= 0 || pixelHeight <= 0) {
        // Header-only read: Qt's decoders know every raster format we accept.
        QFile file;
        if (auto opened = NativePath::open(file, item.path, QIODevice::ReadOnly); !opened)
            return makeError(opened.error().code, QCoreApplication::translate("ImageMetadataReader", "cannot open: %1")
                                                      .arg(opened.error().message));
        QImageReader reader(&file);
        reader.setAutoTransform(false);
        const QSize size = reader.size();
        if (!size.isValid())
            return makeError(Error::Code::Corrupt, QCoreApplication::translate("ImageMetadataReader", "cannot read image size: %1")
                                                       .arg(reader.errorString()));
        pixelWidth = size.width();
        pixelHeight = size.height();
    }
    const bool swapped = md.orientation && *md.orientation >= 5;
    md.width = swapped ? pixelHeight : pixelWidth;
    md.height = swapped ? pixelWidth : pixelHeight;
    return md;
}

} // namespace

void fillExifFields(const Exiv2::ExifData &exif, MediaMetadata &md) { fillFromExif(exif, md); }

void initialiseExiv2() { ensureExiv2Initialised(); }

Result<MediaMetadata> ImageMetadataReader::read(const MediaItem &item)
{
    ensureExiv2Initialised();
    if (isRawMime(item.mime))
        return RawMetadataReader::read(item);
    if (item.mime.startsWith(QLatin1String("image/hei")) || item.mime == QLatin1String("image/avif"))
        return readHeif(item);
    return readRaster(item);
}

} // namespace mt
