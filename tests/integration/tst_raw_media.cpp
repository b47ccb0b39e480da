#include "media/FolderScanner.h"
#include "media/MediaType.h"
#include "metadata/Exiv2Compat.h"
#include "metadata/MetadataReader.h"
#include "metadata/RawMetadataReader.h"
#include "thumbs/ThumbnailGenerator.h"
#include "triage/MediaPreparer.h"

#include "TestDng.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

namespace {

QString rawDir() { return QStringLiteral(MT_SHARED_MEDIA_DIR "/../raw"); }

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray isoBox(const char *type, const QByteArray &payload)
{
    QByteArray box(4, '\0');
    qToBigEndian(quint32(8 + payload.size()), box.data());
    return box + QByteArray(type, 4) + payload;
}

QByteArray jpegOf(QSize size, Qt::GlobalColor color)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 95);
    return bytes;
}

// A CR3 laid out as Canon's cameras write it: ftyp, moov/uuid (Canon) with the stub's CMT1 and a
// THMB, then the preview uuid with PRVW. Each JPEG follows a few header fields, as in the camera's.
QByteArray cr3WithPreviews(const QByteArray &cmt1, const QByteArray &thumb, const QByteArray &preview)
{
    const QByteArray canonUuid("\x85\xc0\xb6\x87\x82\x0f\x11\xe0\x81\x11\xf4\xce\x46\x2b\x6a\x48", 16);
    const QByteArray previewUuid("\xea\xf4\x2b\x5e\x1c\x98\x4b\x88\xb9\xfb\xb7\xdc\x40\x6e\x4d\x16", 16);
    const QByteArray fields(16, '\1');
    const QByteArray canon = isoBox("uuid", canonUuid + isoBox("CMT1", cmt1) + isoBox("THMB", fields + thumb));
    return isoBox("ftyp", QByteArray("crx \0\0\0\1crx isom", 16)) + isoBox("moov", canon)
        + isoBox("uuid", previewUuid + QByteArray(8, '\0') + isoBox("PRVW", fields + preview));
}

// The CR3 stub with the size field of one of its boxes (found by type) replaced.
QByteArray withBoxSize(QByteArray cr3, const char *type, quint32 size)
{
    const qsizetype at = cr3.indexOf(type);
    if (at >= 4)
        qToBigEndian(size, cr3.data() + at - 4);
    return cr3;
}

enum class Tint { Red, Green, Blue, Other };

Tint tintAt(const QImage &image, double fx, double fy)
{
    const QColor c = image.pixelColor(int(fx * (image.width() - 1)), int(fy * (image.height() - 1)));
    const int r = c.red(), g = c.green(), b = c.blue();
    if (r > g + 60 && r > b + 60)
        return Tint::Red;
    if (g > r + 60 && g > b + 60)
        return Tint::Green;
    if (b > r + 60 && b > g + 60)
        return Tint::Blue;
    return Tint::Other;
}

} // namespace

Q_DECLARE_METATYPE(Tint)

class TestRawMedia : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (!QDir(rawDir()).exists())
            QSKIP("../shared/testdata/raw is not here");
    }

    // The picture size is each maker's (what exiftool calls ImageSize), not the sensor's.
    void stubMetadata_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("mime");
        QTest::addColumn<QString>("make");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QSize>("size");
        QTest::newRow("cr2") << "exiftool__CanonRaw.cr2" << "image/x-canon-cr2" << "Canon" << "Canon EOS 350D DIGITAL" << QSize(3456, 2304);
        QTest::newRow("cr3") << "exiftool__CanonRaw.cr3" << "image/x-canon-cr3" << "Canon" << "Canon EOS M50" << QSize(6000, 4000);
        QTest::newRow("dng") << "exiftool__DNG.dng" << "image/x-adobe-dng" << "Canon" << "Canon EOS 350D DIGITAL" << QSize(3516, 2328);
        QTest::newRow("raf") << "exiftool__FujiFilm.raf" << "image/x-fuji-raf" << "FUJIFILM" << "FinePix S5Pro" << QSize(4256, 1424);
        QTest::newRow("nef") << "exiftool__Nikon.nef" << "image/x-nikon-nef" << "NIKON CORPORATION" << "NIKON D70" << QSize(3040, 2014);
        QTest::newRow("rw2") << "exiftool__Panasonic.rw2" << "image/x-panasonic-rw2" << "Panasonic" << "DMC-LX3" << QSize(3648, 2736);
    }
    void stubMetadata()
    {
        QFETCH(QString, file);
        QFETCH(QString, mime);
        QFETCH(QString, make);
        QFETCH(QString, model);
        QFETCH(QSize, size);
        const mt::MediaItem item = mt::inspectFile(rawDir() + u'/' + file);
        QVERIFY2(item.ok(), qPrintable(item.error.value_or(QString())));
        QCOMPARE(item.mime, mime);
        QVERIFY(mt::isRawMime(item.mime));
        const auto md = mt::readMetadata(item);
        QVERIFY2(md.ok(), md.ok() ? "" : qPrintable(md.error().message));
        QCOMPARE(md->make, make);
        QCOMPARE(md->model, model);
        QCOMPARE(QSize(md->width.value_or(0), md->height.value_or(0)), size);
        QVERIFY(md->capturedAt.has_value());
    }

    // The stubs have placeholder previews and no image data: a clear error, or the one real
    // (small) thumbnail the RAF carries.
    void stubThumbnails_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("errorPart"); // empty: a thumbnail is expected
        QTest::newRow("cr2 placeholder preview") << "exiftool__CanonRaw.cr2" << "embedded preview is damaged";
        QTest::newRow("cr3 no preview") << "exiftool__CanonRaw.cr3" << "no usable embedded preview";
        QTest::newRow("dng corrupt previews, no data") << "exiftool__DNG.dng" << "image data is missing";
        QTest::newRow("nef cut short") << "exiftool__Nikon.nef" << "LibRaw cannot decode";
        QTest::newRow("rw2 no data") << "exiftool__Panasonic.rw2" << "image data is missing";
        QTest::newRow("raf small real thumbnail") << "exiftool__FujiFilm.raf" << "";
    }
    void stubThumbnails()
    {
        QFETCH(QString, file);
        QFETCH(QString, errorPart);
        const auto thumb = mt::ThumbnailGenerator::generate(rawDir() + u'/' + file, 256);
        if (errorPart.isEmpty()) {
            QVERIFY2(thumb.ok(), thumb.ok() ? "" : qPrintable(thumb.error().message));
            QCOMPARE(thumb->size(), QSize(160, 120));
            return;
        }
        QVERIFY(!thumb.ok());
        QVERIFY2(thumb.error().message.contains(errorPart), qPrintable(thumb.error().message));
    }

    // Generated DNGs: which path (preview or LibRaw) drew the thumbnail shows in its colours
    // (green preview, red|blue raw data), and the orientation in where red ends up.
    void generatedDng_data()
    {
        QTest::addColumn<int>("orientation");
        QTest::addColumn<bool>("withPreview");
        QTest::addColumn<bool>("damagedPreview");
        QTest::addColumn<int>("maxEdge");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<Tint>("first"); // top-left region (after orientation)
        QTest::addColumn<Tint>("last");  // bottom-right region
        QTest::addColumn<bool>("cfa");   // a Bayer mosaic: binned from the sensor data when half size covers the size
        QTest::newRow("libraw, upright") << 1 << false << false << 1024 << QSize(96, 64) << Tint::Red << Tint::Blue << false;
        QTest::newRow("libraw, half size") << 1 << false << false << 40 << QSize(40, 27) << Tint::Red << Tint::Blue << false;
        QTest::newRow("libraw, rotated 90 cw") << 6 << false << false << 1024 << QSize(64, 96) << Tint::Red << Tint::Blue << false;
        QTest::newRow("libraw, rotated 90 ccw") << 8 << false << false << 1024 << QSize(64, 96) << Tint::Blue << Tint::Red << false;
        QTest::newRow("preview covers the size") << 1 << true << false << 48 << QSize(48, 32) << Tint::Green << Tint::Green << false;
        QTest::newRow("preview turned upright") << 6 << true << false << 48 << QSize(32, 48) << Tint::Green << Tint::Green << false;
        QTest::newRow("preview too small: libraw") << 1 << true << false << 1024 << QSize(96, 64) << Tint::Red << Tint::Blue << false;
        QTest::newRow("damaged preview: libraw") << 1 << true << true << 48 << QSize(48, 32) << Tint::Red << Tint::Blue << false;
        QTest::newRow("bayer, binned") << 1 << false << false << 24 << QSize(24, 16) << Tint::Red << Tint::Blue << true;
        QTest::newRow("bayer, binned, rotated 90 cw") << 6 << false << false << 24 << QSize(16, 24) << Tint::Red << Tint::Blue << true;
        QTest::newRow("bayer, binned, rotated 90 ccw") << 8 << false << false << 24 << QSize(16, 24) << Tint::Blue << Tint::Red << true;
        QTest::newRow("bayer, full size: libraw") << 1 << false << false << 1024 << QSize(96, 64) << Tint::Red << Tint::Blue << true;
    }
    void generatedDng()
    {
        QFETCH(int, orientation);
        QFETCH(bool, withPreview);
        QFETCH(bool, damagedPreview);
        QFETCH(int, maxEdge);
        QFETCH(QSize, size);
        QFETCH(Tint, first);
        QFETCH(Tint, last);
        QFETCH(bool, cfa);
        QTemporaryDir dir;
        mt::test::DngSpec spec;
        spec.orientation = orientation;
        spec.cfa = cfa;
        spec.damagedPreview = damagedPreview;
        if (withPreview) {
            spec.preview = QImage(48, 32, QImage::Format_RGB32);
            spec.preview.fill(Qt::green);
        }
        const QString path = dir.filePath("IMG_0001.DNG");
        QVERIFY(mt::test::writeTestDng(path, spec));
        const mt::MediaItem item = mt::inspectFile(path);
        QCOMPARE(item.mime, QStringLiteral("image/x-adobe-dng"));
        const auto thumb = mt::ThumbnailGenerator::generate(item, maxEdge);
        QVERIFY2(thumb.ok(), thumb.ok() ? "" : qPrintable(thumb.error().message));
        QCOMPARE(thumb->size(), size);
        QCOMPARE(tintAt(*thumb, 0.1, 0.1), first);
        QCOMPARE(tintAt(*thumb, 0.9, 0.9), last);
        const auto md = mt::readMetadata(item);
        QVERIFY(md.ok());
        QCOMPARE(md->make, QStringLiteral("MediaTriage"));
        QCOMPARE(QSize(md->width.value_or(0), md->height.value_or(0)), orientation >= 5 ? QSize(64, 96) : QSize(96, 64));
    }

    // What Gemini gets for a RAW: a JPEG of the decoded picture, never the RAW's bytes.
    void geminiSeesAJpegNotTheRaw()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("IMG_0002.dng");
        QVERIFY(mt::test::writeTestDng(path, {}));
        const auto prepared = mt::DownscalingPhotoPreparer().prepare(mt::inspectFile(path), {});
        QVERIFY2(prepared.ok(), prepared.ok() ? "" : qPrintable(prepared.error().message));
        QCOMPARE(prepared->mimeType, QStringLiteral("image/jpeg"));
        const QImage sent = QImage::fromData(prepared->inlineData, "JPEG");
        QCOMPARE(sent.size(), QSize(96, 64));
        QCOMPARE(tintAt(sent, 0.1, 0.5), Tint::Red);
        QCOMPARE(tintAt(sent, 0.9, 0.5), Tint::Blue);
    }

    // CR3 metadata comes from its CMT1/CMT2 TIFF blocks alone (never Exiv2's BMFF walker): damaged
    // ones give a clear error, the thumbnail a clear error too, and the next CR3 still reads.
    void damagedCr3_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("model"); // empty: the metadata read fails
        const QByteArray stub = readAll(rawDir() + "/exiftool__CanonRaw.cr3");
        const qsizetype cmt2 = stub.indexOf("CMT2");
        QVERIFY(stub.contains("CMT1") && cmt2 > 0);
        QTest::newRow("only the ftyp box") << stub.left(24) << QString();
        QTest::newRow("cut inside CMT1") << stub.left(stub.indexOf("CMT1") + 64) << QString();
        QTest::newRow("Canon boxes claim more than the file")
            << withBoxSize(withBoxSize(stub, "CMT1", 0x7fffffff), "CMT2", 0xfffffff0) << QString();
        QTest::newRow("Canon boxes claim less than a header") << withBoxSize(withBoxSize(stub, "CMT1", 4), "CMT2", 0) << QString();
        QByteArray noTiff = stub;
        noTiff.replace("II*", "XX*");
        QTest::newRow("Canon boxes hold no TIFF") << noTiff << QString();
        QByteArray cmt2NoTiff = stub;
        cmt2NoTiff.replace(cmt2 + 4, 3, "XX*");
        QTest::newRow("CMT2 holds no TIFF: CMT1 still read") << cmt2NoTiff << QStringLiteral("Canon EOS M50");
    }
    void damagedCr3()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, model);
        QTemporaryDir dir;
        const QString path = dir.filePath("IMG_0003.CR3");
        QVERIFY(writeAll(path, bytes));
        const mt::MediaItem item = mt::inspectFile(path);
        QCOMPARE(item.mime, QStringLiteral("image/x-canon-cr3"));
        const auto md = mt::readMetadata(item);
        if (model.isEmpty()) {
            QVERIFY(!md.ok());
            QVERIFY2(md.error().message.contains("CMT1, CMT2"), qPrintable(md.error().message));
        } else {
            QVERIFY2(md.ok(), md.ok() ? "" : qPrintable(md.error().message));
            QCOMPARE(md->model, model);
            QVERIFY(!md->width.has_value()); // the size is in CMT2
        }
        QVERIFY(!mt::ThumbnailGenerator::generate(item, 256).ok());
        const auto good = mt::readMetadata(mt::inspectFile(rawDir() + "/exiftool__CanonRaw.cr3"));
        QVERIFY(good.ok());
        QCOMPARE(good->model, QStringLiteral("Canon EOS M50"));
    }

    // A CR3's thumbnail comes from the JPEG previews our box walk finds: the smallest that covers
    // the size (THMB red, PRVW green), else the largest there is.
    void cr3Previews_data()
    {
        QTest::addColumn<bool>("damagedPreview");
        QTest::addColumn<int>("maxEdge");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<Tint>("tint");
        QTest::newRow("THMB covers the size") << false << 120 << QSize(120, 90) << Tint::Red;
        QTest::newRow("PRVW covers the size") << false << 200 << QSize(200, 150) << Tint::Green;
        QTest::newRow("larger than both: PRVW") << false << 1024 << QSize(320, 240) << Tint::Green;
        QTest::newRow("PRVW holds no JPEG: THMB") << true << 200 << QSize(160, 120) << Tint::Red;
    }
    void cr3Previews()
    {
        QFETCH(bool, damagedPreview);
        QFETCH(int, maxEdge);
        QFETCH(QSize, size);
        QFETCH(Tint, tint);
        const QByteArray stub = readAll(rawDir() + "/exiftool__CanonRaw.cr3");
        const qsizetype cmt1 = stub.indexOf("CMT1");
        QVERIFY(cmt1 > 4);
        const QByteArray cmt1Tiff = stub.mid(cmt1 + 4, qFromBigEndian<quint32>(stub.constData() + cmt1 - 4) - 8);
        QByteArray preview = jpegOf(QSize(320, 240), Qt::green);
        if (damagedPreview)
            preview.replace(0, 3, QByteArray(3, '\0')); // no JPEG start
        QTemporaryDir dir;
        const QString path = dir.filePath("IMG_0004.CR3");
        QVERIFY(writeAll(path, cr3WithPreviews(cmt1Tiff, jpegOf(QSize(160, 120), Qt::red), preview)));
        const mt::MediaItem item = mt::inspectFile(path);
        QCOMPARE(item.mime, QStringLiteral("image/x-canon-cr3"));
        const auto thumb = mt::ThumbnailGenerator::generate(item, maxEdge);
        QVERIFY2(thumb.ok(), thumb.ok() ? "" : qPrintable(thumb.error().message));
        QCOMPARE(thumb->size(), size);
        QCOMPARE(tintAt(*thumb, 0.5, 0.5), tint);
        const auto md = mt::readMetadata(item);
        QVERIFY2(md.ok(), md.ok() ? "" : qPrintable(md.error().message));
        QCOMPARE(md->model, QStringLiteral("Canon EOS M50"));
    }

    // fuzz_raw_metadata: crafted CR3 boxes that kept LibRaw 0.20's CR3 parser busy for minutes.
    // No CR3 reaches LibRaw now: a clear error at once, and the next file still works.
    void cr3ThatSpunLibRaw()
    {
        const QString seed = QStringLiteral(MT_SOURCE_DIR "/tests/fuzz/corpus/fuzz_raw_metadata/libraw-cr3-spin.cr3");
        QTemporaryDir dir;
        const QString path = dir.filePath("IMG_0005.CR3");
        QVERIFY(QFile::copy(seed, path));
        QElapsedTimer timer;
        timer.start();
        const auto thumb = mt::ThumbnailGenerator::generate(path, 256);
        QVERIFY(!thumb.ok());
        QVERIFY2(thumb.error().message.contains("only its embedded previews"), qPrintable(thumb.error().message));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(mt::ThumbnailGenerator::generate(rawDir() + "/exiftool__FujiFilm.raf", 256).ok());
    }

    // Bytes Exiv2 would take for a video or ISO BMFF never reach those parsers through the RAW
    // reader, whatever RAW type the name gave them: a clear error instead.
    void containersAreRefused_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("QuickTime movie") << QStringLiteral(MT_SHARED_MEDIA_DIR "/../damaged/exiftool__QuickTime.mov");
        QTest::newRow("HEIC") << QStringLiteral(MT_SHARED_MEDIA_DIR "/immich__IMG_2682.heic");
        QTest::newRow("CR3") << rawDir() + "/exiftool__CanonRaw.cr3";
    }
    void containersAreRefused()
    {
        QFETCH(QString, source);
        QVERIFY(QFile::exists(source));
        mt::MediaItem item = mt::inspectFile(source);
        item.mime = QStringLiteral("image/x-adobe-dng"); // as a TIFF-based RAW's name would give it
        const auto md = mt::RawMetadataReader::read(item);
        QVERIFY(!md.ok());
        QVERIFY2(md.error().message.contains("not a RAW format"), qPrintable(md.error().message));
    }

    // Exiv2 0.27's BMFF switch is process-wide: reading a CR3 must not turn it on, or every later
    // HEIC or CR3 that any reader hands Exiv2 goes through its box walker.
    void cr3LeavesExiv2BmffSwitchAlone()
    {
#if EXIV2_TEST_VERSION(0, 28, 0)
        QSKIP("Exiv2 0.28 always parses ISO BMFF: the RAW readers refuse it by class (containersAreRefused)");
#else
        const mt::MediaItem cr3 = mt::inspectFile(rawDir() + "/exiftool__CanonRaw.cr3");
        QVERIFY(mt::readMetadata(cr3).ok());
        (void)mt::ThumbnailGenerator::generate(cr3, 256);
        const auto heic = mt::exiv2compat::openFile(QStringLiteral(MT_SHARED_MEDIA_DIR "/immich__IMG_2682.heic").toStdString());
        QVERIFY(heic);
        QVERIFY(!mt::exiv2compat::readsAsIsoBmff(*heic));
#endif
    }

    // A DNG cut short: LibRaw's complaint reaches the caller, and the next file still works.
    void truncatedDngFailsCleanly()
    {
        QTemporaryDir dir;
        const QString good = dir.filePath("good.dng"), cut = dir.filePath("cut.dng");
        QVERIFY(mt::test::writeTestDng(good, {}));
        QFile in(good);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        QFile out(cut);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes.left(bytes.size() / 3));
        out.close();
        const auto failed = mt::ThumbnailGenerator::generate(cut, 256);
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().message.contains("LibRaw cannot decode"), qPrintable(failed.error().message));
        QVERIFY(mt::ThumbnailGenerator::generate(good, 256).ok());
    }
};

QTEST_GUILESS_MAIN(TestRawMedia)
#include "tst_raw_media.moc"
