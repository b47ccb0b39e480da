// Group kinds and their keeper rules: exact copies (bytes or pixels), edits with their originals,
// bursts, similar shots; the file-name rules they use; and a run over real files in which the
// copies of a real iPhone HEIC are discarded as "exact copy of" it.
#include "QualityScenes.h"

#include "media/FolderScanner.h"
#include "quality/CaptureNames.h"
#include "quality/MediaGrouper.h"
#include "quality/PerceptualHash.h"
#include "quality/SignalExtractor.h"
#include "thumbs/ThumbnailGenerator.h"
#include "triage/LocalTriage.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace mt;
using namespace mt::quality;

namespace {

const QDateTime kStart(QDate(2024, 5, 1), QTime(12, 0, 0));

QImage reencoded(const QImage &image, const char *format, int quality)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, quality);
    return QImage::fromData(bytes, format);
}

// A burst frame: the same scene reframed by a few pixels, with fresh sensor noise.
QImage burstFrame(const QImage &scene, int shift, quint32 seed)
{
    return test::withNoise(scene.copy(shift, shift / 2, scene.width() - 24, scene.height() - 18), 2.0, seed);
}

// The pictures the table rows refer to by name, measured once.
const std::map<QString, ImageSignals> &looks()
{
    static const std::map<QString, ImageSignals> measured = [] {
        const QImage scene = test::withNoise(test::texturedScene(1200, 900, 7), 1.5, 1);
        const QImage frame = burstFrame(test::texturedScene(1200, 900, 8), 4, 2);
        std::map<QString, QImage> images{
            {"scene", scene},
            {"scene-q95", reencoded(scene, "JPEG", 95)},
            {"scene-q60", reencoded(scene, "JPEG", 60)},
            {"scene-half", reencoded(scene.scaled(600, 450, Qt::IgnoreAspectRatio, Qt::SmoothTransformation), "JPEG", 80)},
            {"scene-png", reencoded(scene, "PNG", -1)},
            {"scene-cropped", scene.copy(0, 0, 900, 900)},
            {"edit", test::toneCurve(scene.copy(40, 30, 1100, 825), 0.8, 1.05)},
            {"frame", frame},
            {"frame-next", burstFrame(test::texturedScene(1200, 900, 8), 10, 3)},
            {"frame-next-soft", test::defocus(burstFrame(test::texturedScene(1200, 900, 8), 10, 3), 0.004)},
            {"frame-soft", test::defocus(burstFrame(test::texturedScene(1200, 900, 8), 16, 4), 0.006)},
            {"other", test::texturedScene(1200, 900, 9)},
        };
        std::map<QString, ImageSignals> out;
        for (const auto &[name, image] : images)
            out.emplace(name, SignalExtractor::measure(image));
        return out;
    }();
    return measured;
}

// One file of a table row: "NAME|look|ms|key=value…" keeps rows readable. Keys: hash, burst,
// px (pixels), fields (EXIF count), heif, untimed, camera.
GroupCandidate candidate(const QString &spec)
{
    const QStringList parts = spec.split(u'|');
    GroupCandidate c;
    c.looks.path = QStringLiteral("/photos/") + parts.value(0);
    const QString look = parts.value(1);
    if (!look.isEmpty() && look != QLatin1String("-"))
        c.looks.imageSignals = &looks().at(look);
    c.looks.capturedAt = kStart.addMSecs(parts.value(2).toLongLong());
    c.subsecondTime = true;
    c.camera = QStringLiteral("Apple iPhone 12");
    c.metadataFields = 40;
    for (const QString &option : parts.mid(3)) {
        const QString key = option.section(u'=', 0, 0), value = option.section(u'=', 1);
        if (key == QLatin1String("hash"))
            c.contentHash = value;
        else if (key == QLatin1String("burst"))
            c.burstId = value;
        else if (key == QLatin1String("px"))
            c.looks.originalPixels = value.toLongLong();
        else if (key == QLatin1String("fields"))
            c.metadataFields = value.toInt();
        else if (key == QLatin1String("heif"))
            c.looks.isHeif = true;
        else if (key == QLatin1String("untimed"))
            c.looks.capturedAt.reset();
        else if (key == QLatin1String("camera"))
            c.camera = value;
    }
    return c;
}

QString fileName(const QString &path) { return path.mid(path.lastIndexOf(u'/') + 1); }

} // namespace

class MediaGrouperTest : public QObject {
    Q_OBJECT

private slots:
    void captureNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("stem");
        QTest::addColumn<bool>("copy");
        QTest::addColumn<QString>("editOf");
        QTest::addColumn<QString>("burst");
        QTest::newRow("camera name") << "IMG_4120.JPG" << "img_4120" << false << "" << "";
        QTest::newRow("download copy") << "IMG_4120 (1).JPG" << "img_4120" << true << "" << "";
        QTest::newRow("macOS copy") << "IMG_4120 copy.JPG" << "img_4120" << true << "" << "";
        QTest::newRow("macOS copy 2") << "IMG_4120 copy 2.JPG" << "img_4120" << true << "" << "";
        QTest::newRow("Windows copy") << "IMG_4120 - Copy (2).jpg" << "img_4120" << true << "" << "";
        QTest::newRow("copy of") << "Copy of IMG_4120.jpg" << "img_4120" << true << "" << "";
        QTest::newRow("WhatsApp") << "IMG-20240501-WA0003.jpg" << "img-20240501-wa0003" << true << "" << "";
        QTest::newRow("Apple edit") << "IMG_E4120.JPG" << "img_e4120" << false << "img_4120" << "";
        QTest::newRow("Google edit") << "PXL_20240501_101500123-edited.jpg" << "pxl_20240501_101500123-edited" << false
                                     << "pxl_20240501_101500123" << "";
        QTest::newRow("copy of an edit") << "IMG_E4120 (1).JPG" << "img_e4120" << true << "img_4120" << "";
        QTest::newRow("not an edit: a word") << "IMG_EXPORT.JPG" << "img_export" << false << "" << "";
        QTest::newRow("Google burst") << "00001IMG_00001_BURST20190101123456789.jpg"
                                      << "00001img_00001_burst20190101123456789" << false << "" << "burst:20190101123456789";
        QTest::newRow("Google burst cover") << "00000IMG_00000_BURST20190101123456789_COVER.jpg"
                                            << "00000img_00000_burst20190101123456789_cover" << false << ""
                                            << "burst:20190101123456789";
        QTest::newRow("Samsung burst") << "20240501_120000_001.jpg" << "20240501_120000_001" << false << ""
                                       << "burst:20240501_120000";
        QTest::newRow("older Samsung burst") << "20140101_120000_Burst01.jpg" << "20140101_120000_burst01" << false
                                             << "" << "burst:20140101_120000";
        QTest::newRow("Samsung single shot") << "20240501_120000.jpg" << "20240501_120000" << false << "" << "";
    }
    void captureNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, stem);
        QFETCH(bool, copy);
        QFETCH(QString, editOf);
        QFETCH(QString, burst);
        QCOMPARE(CaptureNames::stem(name), stem);
        QCOMPARE(CaptureNames::isCopyName(name), copy);
        QCOMPARE(CaptureNames::editedOriginalStem(name), editOf);
        QCOMPARE(CaptureNames::burstKey(name), burst);
    }

    // The pixel test behind `exact`: what a re-encode, resize or format change leaves the same, and
    // what a burst frame or a crop does not.
    void samePixels_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        QTest::newRow("JPEG q95") << "A|scene|0" << "B|scene-q95|0" << true;
        QTest::newRow("JPEG q60") << "A|scene|0" << "B|scene-q60|0" << true;
        QTest::newRow("half size") << "A|scene|0" << "B|scene-half|0" << true;
        QTest::newRow("PNG") << "A|scene|0" << "B|scene-png|0" << true;
        QTest::newRow("stripped copy without a time") << "A|scene|0" << "B|scene-q60|0|untimed" << true;
        QTest::newRow("a crop changes the aspect") << "A|scene|0" << "B|scene-cropped|0" << false;
        QTest::newRow("an edit") << "A|scene|0" << "B|edit|0" << false;
        QTest::newRow("burst frames in the same second") << "A|frame|0|untimed" << "B|frame-next|0|untimed" << false;
        QTest::newRow("same pixels, other moment") << "A|scene|0" << "B|scene-q95|400" << false;
        QTest::newRow("unrelated") << "A|scene|0" << "B|other|0" << false;
        QTest::newRow("undecoded") << "A|-|0" << "B|-|0" << false;
    }
    void samePixels()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        const GroupCandidate ca = candidate(a), cb = candidate(b);
        if (ca.looks.imageSignals && cb.looks.imageSignals)
            qInfo("detail hash distance %d", hammingDistance(ca.looks.imageSignals->detailHash, cb.looks.imageSignals->detailHash));
        QCOMPARE(MediaGrouper().samePixels(ca, cb), same);
        QCOMPARE(MediaGrouper().samePixels(cb, ca), same);
    }

    // Each row: files as candidate() specs; for each, the kind of its group ("-" for none); the
    // keeper of the first group.
    void groups_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QStringList>("kinds");
        QTest::addColumn<QString>("keeper");
        QTest::newRow("byte-identical copy: the camera name is kept")
            << QStringList{"IMG_4120 (1).JPG|scene|0|hash=h1", "IMG_4120.JPG|scene|0|hash=h1"}
            << QStringList{"exact", "exact"} << "IMG_4120.JPG";
        QTest::newRow("byte-identical videos, no pixels")
            << QStringList{"clip copy.mp4|-|0|hash=v1", "clip.mp4|-|0|hash=v1", "other.mp4|-|0|hash=v2"}
            << QStringList{"exact", "exact", "-"} << "clip.mp4";
        QTest::newRow("messenger re-export: the larger original with metadata is kept")
            << QStringList{"IMG-20240501-WA0003.jpg|scene-q60|0|untimed|px=1920000|fields=0",
                           "IMG_4120.JPG|scene|0|px=12000000|fields=60", "IMG_4121.JPG|other|5000"}
            << QStringList{"exact", "exact", "-"} << "IMG_4120.JPG";
        QTest::newRow("same size and metadata: HEIC over JPEG")
            << QStringList{"IMG_4120.JPG|scene-q95|0|px=12000000", "IMG_4120.HEIC|scene|0|px=12000000|heif"}
            << QStringList{"exact", "exact"} << "IMG_4120.HEIC";
        QTest::newRow("resolution before format")
            << QStringList{"IMG_4120.HEIC|scene-half|0|px=3000000|heif", "IMG_4120.JPG|scene|0|px=12000000"}
            << QStringList{"exact", "exact"} << "IMG_4120.JPG";
        QTest::newRow("Apple edit with its original: the edit is kept")
            << QStringList{"IMG_4120.JPG|scene|0", "IMG_E4120.JPG|edit|0", "IMG_4122.JPG|other|9000"}
            << QStringList{"edited", "edited", "-"} << "IMG_E4120.JPG";
        QTest::newRow("Google edit, no pixels needed")
            << QStringList{"PXL_20240501_120000123-edited.jpg|-|0", "PXL_20240501_120000123.jpg|-|0"}
            << QStringList{"edited", "edited"} << "PXL_20240501_120000123-edited.jpg";
        QTest::newRow("edit name an hour apart is another photo")
            << QStringList{"IMG_4120.JPG|scene|0", "IMG_E4120.JPG|other|3600000"} << QStringList{"-", "-"} << "";
        QTest::newRow("edit name from another camera is another photo")
            << QStringList{"IMG_4120.JPG|scene|0|camera=Canon EOS R5", "IMG_E4120.JPG|other|0"} << QStringList{"-", "-"} << "";
        QTest::newRow("burst by sub-second times: the sharpest is kept")
            << QStringList{"IMG_5001.JPG|frame-soft|0", "IMG_5002.JPG|frame|300", "IMG_5003.JPG|frame-next-soft|600",
                           "IMG_5004.JPG|other|900"}
            << QStringList{"burst", "burst", "burst", "-"} << "IMG_5002.JPG";
        QTest::newRow("Apple BurstUUID without times or pixels")
            << QStringList{"IMG_6001.JPG|-|0|untimed|burst=U1", "IMG_6002.JPG|-|0|untimed|burst=U1",
                           "IMG_6003.JPG|-|0|untimed|burst=U2"}
            << QStringList{"burst", "burst", "-"} << "IMG_6001.JPG";
        QTest::newRow("Samsung burst names")
            << QStringList{"20240501_120000_001.jpg|frame-soft|0|untimed", "20240501_120000_002.jpg|frame|0|untimed"}
            << QStringList{"burst", "burst"} << "20240501_120000_002.jpg";
        QTest::newRow("a minute apart: similar, not a burst")
            << QStringList{"IMG_7001.JPG|frame|0", "IMG_7002.JPG|frame-next-soft|60000"} << QStringList{"similar", "similar"}
            << "IMG_7001.JPG";
        QTest::newRow("alike frames from two cameras in the same second are similar")
            << QStringList{"A.JPG|frame|0|camera=Apple iPhone 12", "B.JPG|frame-next-soft|200|camera=Google Pixel 8"}
            << QStringList{"similar", "similar"} << "A.JPG";
        QTest::newRow("exact before edited: a copy of the original")
            << QStringList{"IMG_4120.JPG|scene|0|hash=h1", "IMG_4120 (1).JPG|scene|0|hash=h1", "IMG_E4120.JPG|edit|0"}
            << QStringList{"exact", "exact", "-"} << "IMG_4120.JPG";
        QTest::newRow("unrelated") << QStringList{"A.JPG|scene|0", "B.JPG|other|0"} << QStringList{"-", "-"} << "";
    }
    void groups()
    {
        QFETCH(QStringList, files);
        QFETCH(QStringList, kinds);
        QFETCH(QString, keeper);
        std::vector<GroupCandidate> candidates;
        for (const QString &spec : files)
            candidates.push_back(candidate(spec));
        const auto assignments = MediaGrouper().group(candidates);
        const auto groups = MediaGrouper::itemGroups(assignments, candidates);
        for (int i = 0; i < files.size(); ++i) {
            const QString kind = groups[size_t(i)] ? groupKindName(groups[size_t(i)]->kind) : QStringLiteral("-");
            QVERIFY2(kind == kinds[i], qPrintable(files[i] + QStringLiteral(": ") + kind));
        }
        int firstGrouped = -1;
        for (int i = 0; i < files.size() && firstGrouped < 0; ++i)
            if (groups[size_t(i)])
                firstGrouped = i;
        if (keeper.isEmpty()) {
            QCOMPARE(firstGrouped, -1);
            return;
        }
        QVERIFY(firstGrouped >= 0);
        QCOMPARE(groups[size_t(firstGrouped)]->id, 0); // numbered by their first member
        QCOMPARE(fileName(groups[size_t(firstGrouped)]->keeperPath), keeper);
        // One keeper per group, and every member names it.
        int keepers = 0;
        for (const auto &g : groups)
            if (g && g->id == 0) {
                keepers += g->best;
                QCOMPARE(fileName(g->keeperPath), keeper);
            }
        QCOMPARE(keepers, 1);
    }

    // A real iPhone HEIC, a byte-identical download copy and a smaller JPEG export of it: one
    // exact group kept as the HEIC, the others discarded as its copies; an unrelated photo is
    // judged on its own.
    void realCopiesOfAnIphoneHeic()
    {
        const QDir shared(QStringLiteral(MT_SHARED_MEDIA_DIR));
        const QString heic = shared.filePath(QStringLiteral("immich__IMG_2682.heic"));
        const QString other = shared.filePath(QStringLiteral("exif-samples__landscape_8.jpg"));
        if (!QFile::exists(heic) || !QFile::exists(other))
            QSKIP("needs ../shared/testdata/media");
        QTemporaryDir dir;
        QVERIFY(QFile::copy(heic, dir.filePath(QStringLiteral("IMG_2682.heic"))));
        QVERIFY(QFile::copy(heic, dir.filePath(QStringLiteral("IMG_2682 (1).heic"))));
        QVERIFY(QFile::copy(other, dir.filePath(QStringLiteral("landscape.jpg"))));
        MediaItem original;
        original.path = dir.filePath(QStringLiteral("IMG_2682.heic"));
        original.fileName = QStringLiteral("IMG_2682.heic");
        original.mime = QStringLiteral("image/heic");
        auto decoded = ThumbnailGenerator::generate(original, 1600);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        QVERIFY(decoded->save(dir.filePath(QStringLiteral("IMG_2682-export.jpg")), "JPEG", 80));

        const std::vector<MediaItem> items = FolderScanner().scanFolder(dir.path());
        QCOMPARE(int(items.size()), 4);
        const TriageRun run = LocalTriage::run(items, {}, {});
        std::map<QString, TriageItemResult> byName;
        for (const TriageItemResult &r : run.items)
            byName[fileName(r.path)] = r;
        const TriageItemResult &kept = byName.at(QStringLiteral("IMG_2682.heic"));
        QVERIFY(kept.group);
        QCOMPARE(kept.group->kind, GroupKind::Exact);
        QVERIFY(kept.group->best);
        QVERIFY(kept.verdict != VerdictKind::Discard || !kept.reason.contains(QStringLiteral("exact copy")));
        for (const QString &copy : {QStringLiteral("IMG_2682 (1).heic"), QStringLiteral("IMG_2682-export.jpg")}) {
            const TriageItemResult &r = byName.at(copy);
            QVERIFY2(r.group && r.group->kind == GroupKind::Exact && !r.group->best, qPrintable(copy));
            QCOMPARE(r.group->id, kept.group->id);
            QCOMPARE(r.verdict, VerdictKind::Discard);
            QCOMPARE(r.reason, QStringLiteral("exact copy of IMG_2682.heic"));
        }
        QCOMPARE(byName.at(QStringLiteral("IMG_2682 (1).heic")).identicalTo, kept.path); // same bytes
        QVERIFY(byName.at(QStringLiteral("IMG_2682-export.jpg")).identicalTo.isEmpty()); // same pixels only
        QVERIFY(!byName.at(QStringLiteral("landscape.jpg")).group);
    }
};

QTEST_GUILESS_MAIN(MediaGrouperTest)
#include "tst_media_grouper.moc"
