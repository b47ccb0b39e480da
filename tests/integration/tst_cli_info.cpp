// `mediatriage-cli info` as a script would use it: JSON shape, exit codes, odd paths.
#include "CliRun.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = mt::test::CliRun;
Run cli(const QStringList &args) { return mt::test::runCli(args); }

QString fixture(const QString &name) { return QStringLiteral(MT_FIXTURE_DIR "/") + name; }

} // namespace

class TestCliInfo : public QObject {
    Q_OBJECT
private slots:
    void jsonHasEveryDocumentedField()
    {
        const Run r = cli({"info", "--json", fixture("apple.mov"), fixture("full.jpg")});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &err);
        QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString()));
        const QJsonArray items = doc.array();
        QCOMPARE(items.size(), 2);
        for (const char *field : {"path", "kind", "mime", "size_bytes", "width", "height", "orientation", "rotation",
                                  "captured_at", "gps", "make", "model", "duration_s", "fps", "video_codec",
                                  "audio_codec", "error"})
            QVERIFY2(items[0].toObject().contains(QLatin1String(field)), field);
        const QJsonObject video = items[0].toObject();
        QCOMPARE(video["kind"].toString(), QStringLiteral("video"));
        QCOMPARE(video["captured_at"].toString(), QStringLiteral("2023-06-01T12:34:56+02:00"));
        QVERIFY(std::abs(video["gps"].toObject()["lat"].toDouble() - 37.7858) < 1e-6);
        QCOMPARE(video["video_codec"].toString(), QStringLiteral("h264"));
        QVERIFY(video["error"].isNull());
        const QJsonObject photo = items[1].toObject();
        QCOMPARE(photo["kind"].toString(), QStringLiteral("photo"));
        QCOMPARE(photo["make"].toString(), QStringLiteral("Canon"));
        QVERIFY(photo["duration_s"].isNull());
        QVERIFY(photo["rotation"].isNull());
    }

    // RAW+JPEG is one item with `companions`; a Motion Photo and a Live Photo still carry `motion`.
    void companionsAndMotion()
    {
        const QString shared = QStringLiteral(MT_SHARED_MEDIA_DIR);
        if (!QFile::exists(shared + "/immich__samsung-one-ui-6.heic"))
            QSKIP("../shared/testdata is not here");
        QTemporaryDir dir;
        QVERIFY(QFile::copy(fixture("full.jpg"), dir.filePath("IMG_1.JPG")));
        QVERIFY(QFile::copy(shared + "/../raw/exiftool__CanonRaw.cr2", dir.filePath("IMG_1.CR2")));
        QVERIFY(QFile::copy(shared + "/immich__samsung-one-ui-6.heic", dir.filePath("20240101_motion.heic")));
        QVERIFY(QFile::copy(fixture("orient6.jpg"), dir.filePath("IMG_2.JPG")));
        QVERIFY(QFile::copy(fixture("apple.mov"), dir.filePath("IMG_2.MOV")));
        const Run r = cli({"info", "--json", dir.path()});
        QCOMPARE(r.exitCode, 0);
        QJsonObject byName;
        for (const auto &v : QJsonDocument::fromJson(r.out).array())
            byName.insert(QFileInfo(v.toObject()["path"].toString()).fileName(), v);
        QCOMPARE(byName.keys(), (QStringList{"20240101_motion.heic", "IMG_1.JPG", "IMG_2.JPG", "IMG_2.MOV"}));
        const QJsonArray companions = byName["IMG_1.JPG"].toObject()["companions"].toArray();
        QCOMPARE(companions.size(), 1);
        QCOMPARE(companions[0].toString(), dir.filePath("IMG_1.CR2"));
        QVERIFY(byName["IMG_1.JPG"].toObject()["motion"].isNull());

        const QJsonObject motion = byName["20240101_motion.heic"].toObject()["motion"].toObject();
        QCOMPARE(motion["kind"].toString(), QStringLiteral("motion_photo"));
        QCOMPARE(motion["clip"].toObject()["offset"].toInteger(), 452284);
        QCOMPARE(motion["clip"].toObject()["length"].toInteger(), 3226469);
        QVERIFY(std::abs(motion["duration_s"].toDouble() - 3.13) < 0.05);
        QVERIFY(motion["error"].isNull());

        const QJsonObject live = byName["IMG_2.JPG"].toObject()["motion"].toObject();
        QCOMPARE(live["kind"].toString(), QStringLiteral("live_photo"));
        QCOMPARE(live["clip"].toObject()["path"].toString(), dir.filePath("IMG_2.MOV"));
        QCOMPARE(live["duration_s"].toDouble(), byName["IMG_2.MOV"].toObject()["duration_s"].toDouble());
    }

    void folderWithBadFilesExitsOneAndReportsEach()
    {
        const Run r = cli({"info", "--json", QStringLiteral(MT_FIXTURE_DIR)});
        QCOMPARE(r.exitCode, 1);
        const QJsonArray items = QJsonDocument::fromJson(r.out).array();
        QVERIFY(items.size() >= 20);
        int errors = 0;
        for (const auto &v : items) {
            const QJsonObject o = v.toObject();
            if (!o["error"].isNull()) {
                ++errors;
                QVERIFY(!o["error"].toString().isEmpty());
            }
            if (o["path"].toString().endsWith(QStringLiteral("照片.jpg")))
                QCOMPARE(o["width"].toInt(), 320);
        }
        QVERIFY(errors >= 4); // zero-byte, text.heic, truncated.mp4, audio-only
        QVERIFY(errors < items.size());
    }

    // A damaged HEIC that Exiv2 takes for a QuickTime movie (found by fuzz_media_heic) made its
    // video parser spin for minutes, under any photo name: now it is a clear error at once.
    void stillThatLooksLikeAVideoIsAnErrorNotAHang_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : {"damaged.heic", "damaged.tif", "damaged.jpg"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void stillThatLooksLikeAVideoIsAnErrorNotAHang()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        QVERIFY(QFile::copy(QStringLiteral(MT_SOURCE_DIR "/tests/fuzz/corpus/fuzz_media_heic/exiv2-quicktime-spin.heic"),
                            dir.filePath(name)));
        // Before the fix the reading never ended: a run still going after 60 s is killed (-1).
        const Run r = mt::test::runCli({"info", "--json", dir.filePath(name)}, QProcessEnvironment::systemEnvironment(), 60000);
        QCOMPARE(r.exitCode, 1);
        const QJsonObject item = QJsonDocument::fromJson(r.out).array().at(0).toObject();
        QVERIFY2(!item["error"].toString().isEmpty(), r.out.constData());
    }

    void textOutputIsReadable()
    {
        const Run r = cli({"info", fixture("gps_se.jpg")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Latitude: -33.856800"));
        QVERIFY(r.out.contains("1 item"));
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{"frobnicate"};
        QTest::newRow("no path") << QStringList{"info"};
        QTest::newRow("unknown option") << QStringList{"info", "--bogus", "x"};
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty() || !r.out.isEmpty());
    }

    void emptyFolderIsNotAnError()
    {
        QTemporaryDir dir;
        const Run r = cli({"info", "--json", dir.path()});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliInfo)
#include "tst_cli_info.moc"
