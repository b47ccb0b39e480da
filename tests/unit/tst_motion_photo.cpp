#include "media/MediaType.h"
#include "media/MotionPhoto.h"
#include "metadata/MetadataReader.h"
#include "video/MemoryMediaInput.h"

#include "MotionPhotoFiles.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

using namespace mt::test;

QString sharedMedia(const char *name) { return QStringLiteral(MT_SHARED_MEDIA_DIR "/") + QLatin1String(name); }

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
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
        const QByteArray google = googleMotionPhoto(mp4);
        QTest::newRow("google container directory") << google << qint64(google.size() - n) << "";
        const QByteArray nested = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", motionPhotoDirectory(n, 0, true)));
        QTest::newRow("google directory as elements") << nested + mp4 << qint64(nested.size()) << "";
        const QByteArray padded = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", motionPhotoDirectory(n + 16, 16, false)));
        QTest::newRow("google with trailing padding") << padded + mp4 + QByteArray(16, '\0') << qint64(padded.size()) << "";
        const QByteArray micro = jpegWithXmp(xmpPacket(QStringLiteral("GCamera:MicroVideo=\"1\" GCamera:MicroVideoOffset=\"%1\"").arg(n)));
        QTest::newRow("google micro video") << micro + mp4 << qint64(micro.size()) << "";
        const QByteArray plain = smallJpeg();
        QTest::newRow("samsung jpeg trailer") << plain + samsungTrailer(mp4) << qint64(plain.size() + 4 + 4 + 16) << "";
        QTest::newRow("plain jpeg") << plain << qint64(-1) << "";
        QTest::newRow("plain jpeg with xmp") << jpegWithXmp(xmpPacket("Camera:Other=\"1\"")) << qint64(-1) << "";
        const QByteArray cut = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", motionPhotoDirectory(n, 0, false)));
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
        const QByteArray cut = jpegWithXmp(xmpPacket("Camera:MotionPhoto=\"1\"", motionPhotoDirectory(m_mp4.size(), 0, false)));
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
