#include "media/MediaType.h"

#include "common/HeifUtil.h"
#include "media/NativePath.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>

namespace mt {

namespace {

struct ExtensionEntry {
    const char *ext;
    MediaKind kind;
    const char *mime;
};

constexpr ExtensionEntry kExtensions[] = {
    {"jpg", MediaKind::Photo, "image/jpeg"},  {"jpeg", MediaKind::Photo, "image/jpeg"},
    {"png", MediaKind::Photo, "image/png"},   {"gif", MediaKind::Photo, "image/gif"},
    {"webp", MediaKind::Photo, "image/webp"}, {"heic", MediaKind::Photo, "image/heic"},
    {"heif", MediaKind::Photo, "image/heif"}, {"avif", MediaKind::Photo, "image/avif"},
    {"mp4", MediaKind::Video, "video/mp4"},   {"mov", MediaKind::Video, "video/quicktime"},
    {"m4v", MediaKind::Video, "video/x-m4v"}, {"3gp", MediaKind::Video, "video/3gpp"},
    {"mkv", MediaKind::Video, "video/x-matroska"}, {"webm", MediaKind::Video, "video/webm"},
    {"avi", MediaKind::Video, "video/x-msvideo"},
    // Camera RAW: judged and shown through the embedded preview, decoded by LibRaw when needed.
    {"dng", MediaKind::Photo, "image/x-adobe-dng"},  {"cr2", MediaKind::Photo, "image/x-canon-cr2"},
    {"cr3", MediaKind::Photo, "image/x-canon-cr3"},  {"nef", MediaKind::Photo, "image/x-nikon-nef"},
    {"arw", MediaKind::Photo, "image/x-sony-arw"},   {"raf", MediaKind::Photo, "image/x-fuji-raf"},
    {"orf", MediaKind::Photo, "image/x-olympus-orf"}, {"rw2", MediaKind::Photo, "image/x-panasonic-rw2"},
};

constexpr const char *kTiffMime = "image/tiff";

MediaType photo(const char *mime) { return {MediaKind::Photo, QString::fromLatin1(mime)}; }
MediaType video(const char *mime) { return {MediaKind::Video, QString::fromLatin1(mime)}; }

bool startsWith(QByteArrayView head, QByteArrayView prefix, qsizetype at = 0)
{
    return head.size() >= at + prefix.size() && head.sliced(at, prefix.size()) == prefix;
}

std::optional<MediaType> heifBrand(QByteArrayView brand)
{
    if (brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis")
        return photo("image/heic");
    if (brand == "hevc" || brand == "hevx")
        return photo("image/heic-sequence");
    if (brand == "avif" || brand == "avis")
        return photo("image/avif");
    return std::nullopt;
}

// ISO base media: 'ftyp' box with a major brand and a list of compatible brands.
std::optional<MediaType> sniffFtyp(QByteArrayView head)
{
    const QByteArrayView major = head.sliced(8, 4);
    if (auto t = heifBrand(major))
        return t;
    const bool genericHeif = major == "mif1" || major == "msf1" || major == "mif2";
    if (genericHeif) {
        // The compatible brands (after minor version) tell HEIC from AVIF.
        for (qsizetype at = 16; at + 4 <= head.size(); at += 4)
            if (auto t = heifBrand(head.sliced(at, 4)))
                return t;
        return photo("image/heif");
    }
    if (major == "crx ")
        return photo("image/x-canon-cr3");
    if (major == "qt  ")
        return video("video/quicktime");
    if (major.startsWith("3gp") || major.startsWith("3g2"))
        return video("video/3gpp");
    if (major == "M4V " || major == "M4VH" || major == "M4VP")
        return video("video/x-m4v");
    if (major.startsWith("M4A") || major == "M4B ")
        return std::nullopt; // audio-only containers
    return video("video/mp4");
}

// RAW formats with a magic of their own; DNG, NEF and ARW are plain TIFF, told apart by name.
std::optional<MediaType> sniffRaw(QByteArrayView head)
{
    if (startsWith(head, "FUJIFILMCCD-RAW"))
        return photo("image/x-fuji-raf");
    if (startsWith(head, "IIRO") || startsWith(head, "IIRS") || startsWith(head, "MMOR"))
        return photo("image/x-olympus-orf");
    if (startsWith(head, "IIU\x00"))
        return photo("image/x-panasonic-rw2");
    const bool tiff = startsWith(head, "II*\x00") || startsWith(head, "MM\x00*");
    if (tiff && startsWith(head, "CR\x02", 8))
        return photo("image/x-canon-cr2");
    if (tiff)
        return photo(kTiffMime);
    return std::nullopt;
}

} // namespace

bool isRawMime(const QString &mime)
{
    static const QStringList raws = {
        QStringLiteral("image/x-adobe-dng"), QStringLiteral("image/x-canon-cr2"), QStringLiteral("image/x-canon-cr3"),
        QStringLiteral("image/x-nikon-nef"), QStringLiteral("image/x-sony-arw"),  QStringLiteral("image/x-fuji-raf"),
        QStringLiteral("image/x-olympus-orf"), QStringLiteral("image/x-panasonic-rw2")};
    return raws.contains(mime);
}

std::optional<MediaType> mediaTypeForExtension(const QString &fileName)
{
    const qsizetype dot = fileName.lastIndexOf(u'.');
    if (dot < 0)
        return std::nullopt;
    const QString ext = fileName.mid(dot + 1).toLower();
    for (const auto &e : kExtensions) {
        if (ext == QLatin1String(e.ext))
            return MediaType{e.kind, QString::fromLatin1(e.mime)};
    }
    return std::nullopt;
}

std::optional<MediaType> sniffMediaType(QByteArrayView head)
{
    if (startsWith(head, "\xFF\xD8\xFF"))
        return photo("image/jpeg");
    if (auto raw = sniffRaw(head))
        return raw;
    if (startsWith(head, "\x89PNG\r\n\x1A\n"))
        return photo("image/png");
    if (startsWith(head, "GIF87a") || startsWith(head, "GIF89a"))
        return photo("image/gif");
    if (startsWith(head, "RIFF") && startsWith(head, "WEBP", 8))
        return photo("image/webp");
    if (startsWith(head, "RIFF") && startsWith(head, "AVI ", 8))
        return video("video/x-msvideo");
    if (startsWith(head, "\x1A\x45\xDF\xA3")) {
        // EBML header; the DocType says webm or matroska within the first few dozen bytes.
        return head.contains(QByteArrayView("webm")) ? video("video/webm") : video("video/x-matroska");
    }
    if (head.size() >= 12 && startsWith(head, "ftyp", 4))
        return sniffFtyp(head);
    // QuickTime files written without 'ftyp' start with one of these atoms.
    for (const char *atom : {"moov", "mdat", "wide", "free", "skip", "pnot"}) {
        if (head.size() >= 8 && startsWith(head, atom, 4))
            return video("video/quicktime");
    }
    return std::nullopt;
}

const QStringList &supportedExtensions()
{
    static const QStringList list = [] {
        QStringList l;
        for (const auto &e : kExtensions) {
            if (QLatin1String(e.ext) == QLatin1String("avif") && !heifCanDecodeAvif())
                continue;
            l << QString::fromLatin1(e.ext);
        }
        return l;
    }();
    return list;
}

MediaItem inspectFile(const QString &path)
{
    const QFileInfo info(path);
    MediaItem item;
    item.path = info.absoluteFilePath();
    item.fileName = info.fileName();
    const auto byName = mediaTypeForExtension(item.fileName);
    if (byName) {
        item.kind = byName->kind;
        item.mime = byName->mime;
    }
    const NativePath::Status status = NativePath::status(item.path);
    if (!status.exists) {
        item.error = QCoreApplication::translate("MediaType", "file not found");
        return item;
    }
    item.sizeBytes = status.size;
    item.modified = status.modified;
    if (item.sizeBytes == 0) {
        item.error = QCoreApplication::translate("MediaType", "the file is empty (0 bytes)");
        return item;
    }
    QFile file;
    if (auto opened = NativePath::open(file, item.path, QIODevice::ReadOnly); !opened) {
        item.error = QCoreApplication::translate("MediaType", "cannot open: %1").arg(opened.error().message);
        return item;
    }
    const QByteArray head = file.read(64);
    const auto byContent = sniffMediaType(head);
    if (!byContent) {
        item.error = byName
            ? QCoreApplication::translate("MediaType", "not a %1 file, nor any other photo or video format: the content does not match the name")
                  .arg(info.suffix().toUpper())
            : QCoreApplication::translate("MediaType", "not a supported photo or video format");
        return item;
    }
    item.kind = byContent->kind;
    // A TIFF container is what DNG, NEF and ARW are; the name says which.
    if (byContent->mime != QLatin1String(kTiffMime) || !byName || !isRawMime(byName->mime))
        item.mime = byContent->mime;
    if (item.mime == QLatin1String("image/avif") && !heifCanDecodeAvif())
        item.error = QCoreApplication::translate("MediaType", "AVIF images are not supported by this build (no AV1 decoder in libheif)");
    return item;
}

} // namespace mt
