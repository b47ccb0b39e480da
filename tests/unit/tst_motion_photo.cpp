#include "media/MediaType.h"
#include "media/MotionPhoto.h"
#include "metadata/MetadataReader.h"
#include "video/MemoryMediaInput.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

namespace {

QString sharedMedia(const char *name) { return QStringLiteral(MT_SHARED_MEDIA_DIR "/") + QLatin1String(name); }

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray smallJpeg()
{
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG");
    return bytes;
}

// A JPEG with the XMP packet in an APP1 segment right after SOI, as cameras write it.
QByteArray jpegWithXmp(const QByteArray &xmp)
{
    const QByteArray jpeg = smallJpeg();
    const QByteArray payload = QByteArray("http://ns.adobe.com/xap/1.0/", 29) + xmp;
    QByteArray segment("\xFF\xE1", 2);
    segment += char((payload.size() + 2) >> 8);
    segment += char((payload.size() + 2) & 0xFF);
    return jpeg.left(2) + segment + payload + jpeg.mid(2);
}

QByteArray xmpPacket(const QString &descriptionAttributes, const QString &body = {})
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
QString directory(qint64 videoLength, qint64 padding, bool elementForm)
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

// Samsung's trailer: a MotionPhoto_Data block holding the MP4, its SEFH index, size and SEFT.
QByteArray samsungTrailer(const QByteArray &mp4)
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

} // namespace

class TestMotionPhoto : public QObject {
    Q_OBJECT
    QByteArray m_mp4;

private slots:
    void initTestCase()
    {
        m_mp4 = readAll(sharedMedia("jcodec__keyed.mp4"));
        if (m_mp4.isEmpty())
            QSKIP("../shared/testdata/media is not here");
    }

    void layouts_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<qint64>("offset"); // -1: no motion; -2: an error
        QTest::addColumn<QString>("errorPart");
        const QByteArray mp4 = readAll(sharedMedia("jcodec__keyed.mp4"));
        const qint64 n = mp4.size();
        const QByteArray google = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\" Camera:MotionPhotoVersion=\"1\"", directory(n, 0, false)));
        QTest::newRow("google container directory") << google + mp4 << qint64(google.size()) << "";
        const QByteArray nested = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", directory(n, 0, true)));
        QTest::newRow("google directory as elements") << nested + mp4 << qint64(nested.size()) << "";
        const QByteArray padded = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", directory(n + 16, 16, false)));
        QTest::newRow("google with trailing padding") << padded + mp4 + QByteArray(16, '\0') << qint64(padded.size()) << "";
        const QByteArray micro = jpegWithXmp(xmpPacket(QStringLiteral("GCamera:MicroVideo=\"1\" GCamera:MicroVideoOffset=\"%1\"").arg(n)));
        QTest::newRow("google micro video") << micro + mp4 << qint64(micro.size()) << "";
        const QByteArray plain = smallJpeg();
        QTest::newRow("samsung jpeg trailer") << plain + samsungTrailer(mp4) << qint64(plain.size() + 4 + 4 + 16) << "";
        QTest::newRow("plain jpeg") << plain << qint64(-1) << "";
        QTest::newRow("plain jpeg with xmp") << jpegWithXmp(xmpPacket("Camera:Other=\"1\"")) << qint64(-1) << "";
        const QByteArray cut = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", directory(n, 0, false)));
        QTest::newRow("offset past the end") << cut + mp4.left(n / 2) << qint64(-2) << "cut short";
        const QByteArray wrong = jpegWithXmp(xmpPacket(QStringLiteral("GCamera:MicroVideo=\"1\" GCamera:MicroVideoOffset=\"%1\"").arg(n + 100)));
        QTest::newRow("offset not at an mp4") << wrong + mp4 << qint64(-2) << "not an MP4";
        QTest::newRow("announced, no location") << jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"")) + mp4 << qint64(-2) << "does not say where";
    }
    void layouts()
    {
        QFETCH(QByteArray, file);
        QFETCH(qint64, offset);
        QFETCH(QString, errorPart);
        const auto clip = mt::findEmbeddedClip(file);
        if (offset == -2) {
            QVERIFY(!clip.ok());
            QVERIFY2(clip.error().message.contains(errorPart), qPrintable(clip.error().message));
            return;
        }
        QVERIFY2(clip.ok(), clip.ok() ? "" : qPrintable(clip.error().message));
        if (offset == -1) {
            QVERIFY(!clip->has_value());
            return;
        }
        QVERIFY(clip->has_value());
        QCOMPARE((*clip)->offset, offset);
        QCOMPARE((*clip)->length, qint64(m_mp4.size()));
        QCOMPARE(file.mid((*clip)->offset, (*clip)->length), m_mp4);
    }

    // The real Samsung One UI 6 HEIC: XMP directory with padding for the SEF trailer.
    void samsungHeic()
    {
        const QString path = sharedMedia("immich__samsung-one-ui-6.heic");
        const mt::MediaItem item = mt::inspectFile(path);
        const auto md = mt::readMetadata(item);
        QVERIFY(md.ok());
        QVERIFY(md->motion.has_value());
        QCOMPARE(md->motion->kind, mt::MotionPart::Kind::MotionPhoto);
        QCOMPARE(md->motion->clipOffset, qint64(452284));
        QCOMPARE(md->motion->clipLength, qint64(3226469));
        QVERIFY(md->motion->error.isEmpty());
        QVERIFY(md->motion->durationSeconds.has_value());
        QVERIFY(qAbs(*md->motion->durationSeconds - 3.13) < 0.05);
    }

    // The clip read from memory says what the same bytes say read from a file.
    void memoryInputMatchesFile()
    {
        const auto fromMemory = mt::MemoryMediaInput::probeDurationSeconds(m_mp4);
        QVERIFY(fromMemory.ok());
        const auto fromFile = mt::readMetadata(mt::inspectFile(sharedMedia("jcodec__keyed.mp4")));
        QVERIFY(fromFile.ok() && fromFile->durationSeconds);
        QVERIFY(qAbs(*fromMemory - *fromFile->durationSeconds) < 0.01);
        QVERIFY(!mt::MemoryMediaInput::probeDurationSeconds(QByteArrayView("not a video at all")).ok());
    }

    // A broken Motion Photo is still a photo: metadata reads, motion carries the error.
    void brokenMotionKeepsThePhoto()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("PXL_1.MP.jpg");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray cut = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", directory(m_mp4.size(), 0, false)));
        f.write(cut + m_mp4.left(1000));
        f.close();
        const auto md = mt::readMetadata(mt::inspectFile(path));
        QVERIFY(md.ok());
        QCOMPARE(md->width, 64);
        QVERIFY(md->motion.has_value());
        QVERIFY2(md->motion->error.contains("cut short"), qPrintable(md->motion->error));
    }
};

QTEST_GUILESS_MAIN(TestMotionPhoto)
#include "tst_motion_photo.moc"
