// Live Photos by Apple's content identifier: the MakerNote parser on crafted bytes, and end to
// end a JPEG still whose MakerNote carries the identifier and a QuickTime clip of another name
// that repeats it, judged as one item.
#include "media/FolderScanner.h"
#include "metadata/AppleMakerNote.h"
#include "metadata/MetadataReader.h"
#include "triage/LocalTriage.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <exiv2/exiv2.hpp>

using namespace mt;

namespace {

void putBig(QByteArray &b, quint32 v, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        b.append(char((v >> (8 * i)) & 0xff));
}

// An Apple MakerNote as an iPhone writes it: signature, version, "MM", a big-endian IFD whose
// string values sit after it at offsets from the MakerNote's start.
QByteArray appleMakerNote(const QList<QPair<quint16, QByteArray>> &strings)
{
    QByteArray note("Apple iOS\0\0\x01MM", 14);
    putBig(note, quint32(strings.size() + 1), 2);
    qsizetype dataAt = 14 + 2 + (strings.size() + 1) * 12 + 4;
    QByteArray data;
    putBig(note, 0x0001, 2); // MakerNoteVersion, a SLONG inline, as on a real phone
    putBig(note, 9, 2);
    putBig(note, 1, 4);
    putBig(note, 14, 4);
    for (const auto &[tag, text] : strings) {
        const QByteArray value = text + '\0';
        putBig(note, tag, 2);
        putBig(note, 2, 2); // ASCII
        putBig(note, quint32(value.size()), 4);
        if (value.size() <= 4) { // TIFF puts values of up to 4 bytes in the entry itself
            note += value + QByteArray(4 - value.size(), '\0');
            continue;
        }
        putBig(note, quint32(dataAt + data.size()), 4);
        data += value;
    }
    putBig(note, 0, 4); // next IFD
    return note + data;
}

const QByteArray kUuid = "1F3C8E4A-7B2D-4C19-9E0A-5D6B7C8D9E0F";
const QByteArray kBurst = "0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9";

} // namespace

class LivePhotoIdentityTest : public QObject {
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("burst");
        const QByteArray both = appleMakerNote({{0x000b, kBurst}, {0x0011, kUuid}});
        QTest::newRow("both identifiers") << both << QString::fromLatin1(kUuid) << QString::fromLatin1(kBurst);
        QTest::newRow("content only") << appleMakerNote({{0x0011, kUuid}}) << QString::fromLatin1(kUuid) << QString();
        QTest::newRow("inline short string") << appleMakerNote({{0x0011, "ab"}}) << QStringLiteral("ab") << QString();
        QTest::newRow("value cut off: skipped") << both.left(both.size() - 10) << QString() << QString::fromLatin1(kBurst);
        QTest::newRow("table cut off") << both.left(30) << QString() << QString();
        QTest::newRow("not Apple's") << QByteArray("Nikon\0\x02\x10\0\0MM\0\x2a\0\0", 16) << QString() << QString();
        QTest::newRow("empty") << QByteArray() << QString() << QString();
    }
    void parse()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, content);
        QFETCH(QString, burst);
        const AppleMakerNote note = AppleMakerNote::parse(bytes);
        QCOMPARE(note.contentIdentifier, content);
        QCOMPARE(note.burstUuid, burst);
    }

    void stillAndClipPairByIdentifier()
    {
        const QString ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
        if (ffmpeg.isEmpty())
            QSKIP("needs the ffmpeg command to write a QuickTime clip with Apple metadata");
        QTemporaryDir dir;
        const QString still = dir.filePath(QStringLiteral("IMG_0001.JPG"));
        QImage image(320, 240, QImage::Format_RGB32);
        image.fill(QColor(90, 140, 200));
        QVERIFY(image.save(still, "JPEG", 90));
        {
            auto file = Exiv2::ImageFactory::open(still.toStdString());
            file->readMetadata();
            Exiv2::ExifData &exif = file->exifData();
            exif["Exif.Image.Make"] = "Apple";
            exif["Exif.Image.Model"] = "iPhone 12";
            exif["Exif.Photo.DateTimeOriginal"] = "2024:05:01 12:00:00";
            exif["Exif.Photo.SubSecTimeOriginal"] = "25";
            const QByteArray note = appleMakerNote({{0x000b, kBurst}, {0x0011, kUuid}});
            Exiv2::DataValue value(reinterpret_cast<const Exiv2::byte *>(note.constData()), long(note.size()), Exiv2::invalidByteOrder,
                                   Exiv2::undefined);
            exif.add(Exiv2::ExifKey("Exif.Photo.MakerNote"), &value);
            file->writeMetadata();
        }
        // Renamed on export: only the identifier ties the clip to its still.
        const QString clip = dir.filePath(QStringLiteral("motion.mov"));
        QProcess run;
        run.start(ffmpeg, {QStringLiteral("-nostdin"), QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-y"),
                           QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                           QStringLiteral("testsrc=size=64x64:rate=10:duration=1.5"), QStringLiteral("-movflags"),
                           QStringLiteral("use_metadata_tags"), QStringLiteral("-metadata"),
                           QStringLiteral("com.apple.quicktime.content.identifier=") + QString::fromLatin1(kUuid),
                           QStringLiteral("-c:v"), QStringLiteral("mpeg4"), clip});
        QVERIFY(run.waitForFinished(60000));
        QCOMPARE(run.exitCode(), 0);

        const std::vector<MediaItem> items = FolderScanner().scanFolder(dir.path());
        QCOMPARE(int(items.size()), 2);
        for (const MediaItem &item : items) {
            auto md = readMetadata(item);
            QVERIFY2(md, qPrintable(item.fileName));
            QCOMPARE(md->contentIdentifier, QString::fromLatin1(kUuid));
            if (item.kind == MediaKind::Photo) {
                QCOMPARE(md->burstUuid, QString::fromLatin1(kBurst));
                QCOMPARE(md->subsecondMs, std::optional<int>(250));
            }
        }
        const TriageRun result = LocalTriage::run(items, {}, {});
        const auto &clipResult = result.items[items[0].kind == MediaKind::Video ? 0 : 1];
        QCOMPARE(clipResult.livePhotoOf, still);
        QCOMPARE(clipResult.verdict, VerdictKind::Keep); // not an "accidental clip" of 1.5 s
    }
};

QTEST_GUILESS_MAIN(LivePhotoIdentityTest)
#include "tst_live_photo_identity.moc"
