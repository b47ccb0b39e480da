#pragma once

// Small JPEGs for tests, and stills that move built the way phones write them: Google's Motion
// Photo (XMP directory or the older MicroVideo offset) and Samsung's trailer, around a small JPEG.

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QString>
#include <QtEndian>

namespace mt::test {

// A 64×48 dark cyan JPEG; quality -1 is Qt's default.
inline QByteArray smallJpeg(int quality = -1)
{
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", quality);
    return bytes;
}

// A JPEG with the XMP packet in an APP1 segment right after SOI, as cameras write it.
inline QByteArray jpegWithXmp(const QByteArray &xmp)
{
    const QByteArray jpeg = smallJpeg();
    const QByteArray payload = QByteArray("http://ns.adobe.com/xap/1.0/", 29) + xmp;
    QByteArray segment("\xFF\xE1", 2);
    segment += char((payload.size() + 2) >> 8);
    segment += char((payload.size() + 2) & 0xFF);
    return jpeg.left(2) + segment + payload + jpeg.mid(2);
}

inline QByteArray xmpPacket(const QString &descriptionAttributes, const QString &body = {})
{
    return QStringLiteral(
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
               "<rdf:Description rdf:about=\"\" xmlns:Camera=\"http://ns.google.com/photos/1.0/camera/\" "
               "xmlns:GCamera=\"http://ns.google.com/photos/1.0/camera/\" "
               "xmlns:Container=\"http://ns.google.com/photos/1.0/container/\" "
               "xmlns:Item=\"http://ns.google.com/photos/1.0/container/item/\" %1>%2</rdf:Description></rdf:RDF></x:xmpmeta>")
        .arg(descriptionAttributes, body)
        .toUtf8();
}

// Google's Motion Photo 1.0 directory, items as attributes or as nested elements.
inline QString motionPhotoDirectory(qint64 videoLength, qint64 padding, bool elementForm)
{
    const auto item = [elementForm](const char *mime, const char *semantic, qint64 length, qint64 pad) {
        if (elementForm)
            return QStringLiteral("<rdf:li rdf:parseType=\"Resource\"><Container:Item rdf:parseType=\"Resource\"><Item:Mime>%1</Item:Mime>"
                                  "<Item:Semantic>%2</Item:Semantic><Item:Length>%3</Item:Length><Item:Padding>%4</Item:Padding>"
                                  "</Container:Item></rdf:li>")
                .arg(QLatin1String(mime), QLatin1String(semantic)).arg(length).arg(pad);
        return QStringLiteral("<rdf:li rdf:parseType=\"Resource\"><Container:Item Item:Mime=\"%1\" Item:Semantic=\"%2\" "
                              "Item:Length=\"%3\" Item:Padding=\"%4\"/></rdf:li>")
            .arg(QLatin1String(mime), QLatin1String(semantic)).arg(length).arg(pad);
    };
    return QStringLiteral("<Container:Directory><rdf:Seq>%1%2</rdf:Seq></Container:Directory>")
        .arg(item("image/jpeg", "Primary", 0, 0), item("video/mp4", "MotionPhoto", videoLength, padding));
}

// A Google Motion Photo 1.0 as Pixel phones write it: the JPEG, then the MP4, announced in XMP.
inline QByteArray googleMotionPhoto(const QByteArray &mp4)
{
    return jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\" Camera:MotionPhotoVersion=\"1\"",
                                 motionPhotoDirectory(mp4.size(), 0, false)))
        + mp4;
}

// Samsung's trailer: a MotionPhoto_Data block holding the MP4, its SEFH index, size and SEFT.
inline QByteArray samsungTrailer(const QByteArray &mp4)
{
    QByteArray block("\x00\x00\x30\x0A", 4);
    const QByteArray name("MotionPhoto_Data");
    quint32 le = qToLittleEndian<quint32>(quint32(name.size()));
    block += QByteArray(reinterpret_cast<const char *>(&le), 4) + name + mp4;
    QByteArray index("SEFH");
    const auto u32 = [](quint32 v) { v = qToLittleEndian(v); return QByteArray(reinterpret_cast<const char *>(&v), 4); };
    index += u32(107) + u32(1) + QByteArray("\x00\x00\x30\x0A", 4) + u32(quint32(block.size())) + u32(quint32(block.size()));
    return block + index + u32(quint32(index.size())) + "SEFT";
}

} // namespace mt::test
