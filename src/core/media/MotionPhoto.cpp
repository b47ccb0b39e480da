#include "media/MotionPhoto.h"

#include <QCoreApplication>
#include <QXmlStreamReader>
#include <QtEndian>

#include <vector>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("MotionPhoto", text); }

struct DirectoryItem {
    QString mime;
    QString semantic;
    qint64 length = 0;
    qint64 padding = 0;
};

// The Motion Photo facts an XMP packet states, whatever prefix or RDF form it uses.
struct MotionXmp {
    bool announced = false;
    std::optional<qint64> microVideoOffset;
    std::vector<DirectoryItem> directory;
};

// Property elements, attribute-style properties and Container:Item fields all land here.
void takeProperty(MotionXmp &xmp, DirectoryItem *item, QStringView name, const QString &value)
{
    if (name == u"MotionPhoto" || name == u"MicroVideo")
        xmp.announced = xmp.announced || value.trimmed() == u"1";
    else if (name == u"MicroVideoOffset")
        xmp.microVideoOffset = value.trimmed().toLongLong();
    else if (item && name == u"Mime")
        item->mime = value.trimmed();
    else if (item && name == u"Semantic")
        item->semantic = value.trimmed();
    else if (item && name == u"Length")
        item->length = value.trimmed().toLongLong();
    else if (item && name == u"Padding")
        item->padding = value.trimmed().toLongLong();
}

MotionXmp parseXmp(QByteArrayView packet)
{
    MotionXmp xmp;
    QXmlStreamReader reader(packet.toByteArray());
    int itemDepth = -1, depth = 0;
    while (!reader.atEnd()) {
        const auto token = reader.readNext();
        if (token == QXmlStreamReader::EndElement) {
            if (--depth < itemDepth)
                itemDepth = -1;
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        ++depth;
        if (reader.name() == u"Item" && reader.namespaceUri().contains(u"container")) {
            xmp.directory.emplace_back();
            itemDepth = depth;
        }
        DirectoryItem *item = itemDepth >= 0 ? &xmp.directory.back() : nullptr;
        for (const QXmlStreamAttribute &a : reader.attributes())
            takeProperty(xmp, item, a.name(), a.value().toString());
        const QString name = reader.name().toString();
        if (name == u"MotionPhoto" || name == u"MicroVideo" || name == u"MicroVideoOffset"
            || (item && (name == u"Mime" || name == u"Semantic" || name == u"Length" || name == u"Padding"))) {
            takeProperty(xmp, item, name, reader.readElementText(QXmlStreamReader::SkipChildElements));
            --depth; // readElementText consumed the end element
        }
    }
    return xmp;
}

// The first XMP packet: the still's own comes before any appended video.
QByteArrayView xmpPacket(QByteArrayView file)
{
    const QByteArrayView head = file.first(std::min<qsizetype>(file.size(), qsizetype(64) << 20));
    const qsizetype start = head.indexOf(QByteArrayView("<x:xmpmeta"));
    if (start < 0)
        return {};
    const QByteArrayView closing("</x:xmpmeta>");
    const qsizetype end = head.indexOf(closing, start);
    return end < 0 ? QByteArrayView() : head.sliced(start, end + closing.size() - start);
}

Error pastTheEnd(qint64 offset, qint64 length, qint64 fileSize)
{
    return makeError(Error::Code::Corrupt,
                     tr("the Motion Photo's video is said to be %1 bytes at byte %2, but the file has only %3 bytes: "
                        "it was probably cut short")
                         .arg(length).arg(offset).arg(fileSize));
}

Result<std::optional<EmbeddedClip>> checkedClip(QByteArrayView file, qint64 offset, qint64 length)
{
    if (offset < 0 || length <= 0 || offset + length > file.size())
        return pastTheEnd(offset, length, file.size());
    // Every MP4 starts with its 'ftyp' box: anything else means the offsets are wrong.
    if (length < 12 || file.sliced(offset + 4, 4) != QByteArrayView("ftyp"))
        return makeError(Error::Code::Corrupt,
                         tr("the Motion Photo's video at byte %1 is not an MP4 (no 'ftyp' box there)").arg(offset));
    return std::optional<EmbeddedClip>(EmbeddedClip{offset, length});
}

// Google's layout: the primary first, the other items packed at the end in directory order.
std::optional<Result<std::optional<EmbeddedClip>>> fromDirectory(QByteArrayView file, const MotionXmp &xmp)
{
    qint64 end = file.size();
    for (size_t i = xmp.directory.size(); i-- > 1;) {
        const DirectoryItem &item = xmp.directory[i];
        const qint64 start = end - item.length;
        const bool video = item.semantic.compare(u"MotionPhoto", Qt::CaseInsensitive) == 0 || item.mime.startsWith(u"video/");
        if (video)
            return start < 0 ? Result<std::optional<EmbeddedClip>>(pastTheEnd(start, item.length, file.size()))
                             : checkedClip(file, start, item.length - item.padding);
        end = start;
    }
    return std::nullopt;
}

// Samsung's SEF trailer: "SEFH", version, count, then per block {pad, type, distance back from
// SEFH, length}; it ends with the index's size and "SEFT".
std::optional<QByteArrayView> samsungMotionBlock(QByteArrayView file)
{
    const qsizetype n = file.size();
    if (n < 8 || file.sliced(n - 4) != QByteArrayView("SEFT"))
        return std::nullopt;
    const qint64 indexStart = n - 8 - qFromLittleEndian<quint32>(file.data() + n - 8);
    if (indexStart < 0 || indexStart + 12 > n || file.sliced(indexStart, 4) != QByteArrayView("SEFH"))
        return std::nullopt;
    const quint32 count = qFromLittleEndian<quint32>(file.data() + indexStart + 8);
    for (quint32 i = 0; i < count && indexStart + 12 + (i + 1) * 12 <= n; ++i) {
        const char *entry = file.data() + indexStart + 12 + i * 12;
        const qint64 start = indexStart - qFromLittleEndian<quint32>(entry + 4);
        const qint64 length = qFromLittleEndian<quint32>(entry + 8);
        if (start < 0 || length < 8 || start + length > n)
            continue;
        const qint64 nameLength = qFromLittleEndian<quint32>(file.data() + start + 4);
        if (nameLength > length - 8)
            continue;
        const QByteArrayView block = file.sliced(start, length);
        if (block.sliced(8, nameLength) == QByteArrayView("MotionPhoto_Data"))
            return block.sliced(8 + nameLength);
    }
    return std::nullopt;
}

// Samsung HEICs keep the MP4 in a top-level 'mpvd' box.
std::optional<EmbeddedClip> mpvdBox(QByteArrayView file)
{
    qint64 at = 0;
    while (at + 8 <= file.size()) {
        qint64 size = qFromBigEndian<quint32>(file.data() + at);
        qint64 header = 8;
        if (size == 1 && at + 16 <= file.size()) {
            size = qint64(qFromBigEndian<quint64>(file.data() + at + 8));
            header = 16;
        } else if (size == 0) {
            size = file.size() - at;
        }
        if (size < header)
            return std::nullopt;
        if (file.sliced(at + 4, 4) == QByteArrayView("mpvd"))
            return EmbeddedClip{at + header, std::min(size, file.size() - at) - header};
        at += size;
    }
    return std::nullopt;
}

} // namespace

Result<std::optional<EmbeddedClip>> findEmbeddedClip(QByteArrayView file)
{
    const MotionXmp xmp = parseXmp(xmpPacket(file));
    if (auto clip = fromDirectory(file, xmp))
        return *clip;
    if (xmp.microVideoOffset && *xmp.microVideoOffset > 0)
        return checkedClip(file, file.size() - *xmp.microVideoOffset, *xmp.microVideoOffset);
    if (const auto block = samsungMotionBlock(file)) {
        if (block->size() >= 12 && block->sliced(4, 4) == QByteArrayView("ftyp"))
            return checkedClip(file, block->data() - file.data(), block->size());
        if (const auto box = mpvdBox(file))
            return checkedClip(file, box->offset, box->length);
    }
    if (xmp.announced)
        return makeError(Error::Code::Corrupt, tr("the photo says it is a Motion Photo but does not say where its video is"));
    return std::optional<EmbeddedClip>();
}

} // namespace mt
