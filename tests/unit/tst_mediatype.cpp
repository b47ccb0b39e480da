#include "media/MediaType.h"

#include "Unprivileged.h"

#include <QTemporaryDir>
#include <QTest>

using mt::MediaKind;

class TestMediaType : public QObject {
    Q_OBJECT
private slots:
    void sniff_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("mime"); // empty: not recognised
        const auto ftyp = [](const char *major, const char *compat) {
            QByteArray b("\x00\x00\x00\x18", 4);
            b += "ftyp";
            b += major;
            b += QByteArray("\x00\x00\x00\x00", 4);
            b += compat;
            return b;
        };
        QTest::newRow("jpeg") << QByteArray("\xFF\xD8\xFF\xE1\x00\x10" "Exif", 10) << "image/jpeg";
        QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1A\n\x00\x00", 10) << "image/png";
        QTest::newRow("gif89") << QByteArray("GIF89a\x01\x00") << "image/gif";
        QTest::newRow("webp") << QByteArray("RIFF\x10\x00\x00\x00WEBPVP8 ", 16) << "image/webp";
        QTest::newRow("avi") << QByteArray("RIFF\x10\x00\x00\x00" "AVI LIST", 16) << "video/x-msvideo";
        QTest::newRow("heic major") << ftyp("heic", "mif1heic") << "image/heic";
        QTest::newRow("mif1 with heic compatible") << ftyp("mif1", "mif1heic") << "image/heic";
        QTest::newRow("mif1 with avif compatible") << ftyp("mif1", "mif1avif") << "image/avif";
        QTest::newRow("mif1 generic") << ftyp("mif1", "mif1miaf") << "image/heif";
        QTest::newRow("avif") << ftyp("avif", "mif1miaf") << "image/avif";
        QTest::newRow("mp4 isom") << ftyp("isom", "isomiso2") << "video/mp4";
        QTest::newRow("mp4 mp42 android") << ftyp("mp42", "isommp42") << "video/mp4";
        QTest::newRow("quicktime") << ftyp("qt  ", "qt  ") << "video/quicktime";
        QTest::newRow("3gp") << ftyp("3gp4", "isom3gp4") << "video/3gpp";
        QTest::newRow("m4v") << ftyp("M4V ", "M4V M4A ") << "video/x-m4v";
        QTest::newRow("m4a audio is not video") << ftyp("M4A ", "M4A mp42") << "";
        QTest::newRow("quicktime without ftyp") << QByteArray("\x00\x00\x00\x08wide\x00\x00", 10) << "video/quicktime";
        QTest::newRow("webm") << QByteArray("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm", 16) << "video/webm";
        QTest::newRow("matroska") << QByteArray("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x88matroska", 20) << "video/x-matroska";
        QTest::newRow("cr2") << QByteArray("II*\x00\x10\x00\x00\x00" "CR\x02\x00", 12) << "image/x-canon-cr2";
        QTest::newRow("cr3") << ftyp("crx ", "crx isom") << "image/x-canon-cr3";
        QTest::newRow("raf") << QByteArray("FUJIFILMCCD-RAW 0201") << "image/x-fuji-raf";
        QTest::newRow("orf") << QByteArray("IIRO\x08\x00\x00\x00", 8) << "image/x-olympus-orf";
        QTest::newRow("rw2") << QByteArray("IIU\x00\x18\x00\x00\x00", 8) << "image/x-panasonic-rw2";
        QTest::newRow("tiff (dng, nef, arw)") << QByteArray("MM\x00*\x00\x00\x00\x08", 8) << "image/tiff";
        QTest::newRow("text") << QByteArray("hello, this is not an image") << "";
        QTest::newRow("empty") << QByteArray() << "";
        QTest::newRow("short ftyp") << QByteArray("\x00\x00\x00\x18" "ftyp", 8) << "";
    }
    void sniff()
    {
        QFETCH(QByteArray, head);
        QFETCH(QString, mime);
        const auto type = mt::sniffMediaType(head);
        QCOMPARE(type ? type->mime : QString(), mime);
        if (type)
            QCOMPARE(type->kind, mime.startsWith("image/") ? MediaKind::Photo : MediaKind::Video);
    }

    void extensions_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("mime");
        QTest::newRow("upper case") << "IMG_0001.JPG" << "image/jpeg";
        QTest::newRow("mixed case heic") << "IMG_0001.HeIc" << "image/heic";
        QTest::newRow("mov") << "clip.MOV" << "video/quicktime";
        QTest::newRow("double extension") << "a.txt.mp4" << "video/mp4";
        QTest::newRow("dng") << "IMG_0001.DNG" << "image/x-adobe-dng";
        QTest::newRow("nef") << "DSC_0001.nef" << "image/x-nikon-nef";
        QTest::newRow("arw") << "DSC01.ARW" << "image/x-sony-arw";
        QTest::newRow("orf") << "P1.ORF" << "image/x-olympus-orf";
        QTest::newRow("unsupported") << "notes.txt" << "";
        QTest::newRow("no extension") << "README" << "";
    }
    void extensions()
    {
        QFETCH(QString, name);
        QFETCH(QString, mime);
        const auto type = mt::mediaTypeForExtension(name);
        QCOMPARE(type ? type->mime : QString(), mime);
    }

    // The extension proposes, the content decides.
    void inspectFile_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mime");
        QTest::addColumn<bool>("hasError");
        QTest::newRow("text named heic") << "x.heic" << QByteArray("just some text\n") << "image/heic" << true;
        QTest::newRow("zero bytes") << "empty.jpg" << QByteArray() << "image/jpeg" << true;
        QTest::newRow("jpeg named png") << "photo.png" << QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10) << "image/jpeg" << false;
        QTest::newRow("mp4 named jpg is a video") << "clip.jpg" << QByteArray("\x00\x00\x00\x18" "ftypisom\x00\x00\x00\x00isom", 20) << "video/mp4" << false;
        QTest::newRow("tiff named nef is a nef") << "DSC_1.NEF" << QByteArray("II*\x00\x08\x00\x00\x00", 8) << "image/x-nikon-nef" << false;
        QTest::newRow("jpeg named dng is a jpeg") << "IMG_1.dng" << QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10) << "image/jpeg" << false;
        QTest::newRow("text named cr2") << "IMG_1.CR2" << QByteArray("not a raw file\n") << "image/x-canon-cr2" << true;
        QTest::newRow("non-ascii name") << "Ünïcødé 照片.jpg" << QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10) << "image/jpeg" << false;
    }
    void inspectFile()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, mime);
        QFETCH(bool, hasError);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        const mt::MediaItem item = mt::inspectFile(f.fileName());
        QCOMPARE(item.mime, mime);
        QCOMPARE(item.error.has_value(), hasError);
        QCOMPARE(item.fileName, name);
        QCOMPARE(item.sizeBytes, qint64(content.size()));
        if (hasError)
            QVERIFY(!item.error->isEmpty());
    }

    void missingFile()
    {
        const mt::MediaItem item = mt::inspectFile(QStringLiteral("/nonexistent/dir/IMG_1.jpg"));
        QVERIFY(item.error.has_value());
        QVERIFY(item.error->contains("not found"));
    }

    void unreadableFile()
    {
        MT_RUN_UNPRIVILEGED(); // root reads every file: the case runs again as nobody
        QTemporaryDir dir;
        QFile f(dir.filePath("locked.jpg"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\xFF\xD8\xFF\xE0");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::Permissions()));
        const mt::MediaItem item = mt::inspectFile(f.fileName());
        QVERIFY(item.error.has_value());
    }
};

QTEST_GUILESS_MAIN(TestMediaType)
#include "tst_mediatype.moc"
