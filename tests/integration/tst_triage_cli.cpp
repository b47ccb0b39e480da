// `mediatriage-cli triage` against the fake Gemini: the JSON contract, reports, the store across
// runs (and across a kill -9), trash with its confirmations, and keys that never leak.
#include "FakeGeminiServer.h"
#include "TriageTestSupport.h"
#include "CliRun.h"
#include "MotionPhotoFiles.h"
#include "triage/ContentHash.h"
#include "triage/Trash.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;
using mt::fakes::Fault;

class TestTriageCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<fakes::FakeGeminiServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;

    QString media() const { return m_home->filePath(QStringLiteral("media")); }

    QProcessEnvironment env(const QString &key) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"GEMINI_API_KEY", "GOOGLE_API_KEY", "DBUS_SESSION_BUS_ADDRESS", "GEMINI_MODEL"})
            e.remove(QString::fromLatin1(name));
        if (!key.isEmpty())
            e.insert(QStringLiteral("GEMINI_API_KEY"), key);
        e.insert(QStringLiteral("GEMINI_BASE_URL"), m_server->baseUrl().toString());
        e.insert(QStringLiteral("GEMINI_MODEL"), QStringLiteral("gemini-test-flash"));
        e.insert(QStringLiteral("HOME"), m_home->path());
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
        return e;
    }

    using Run = mt::test::CliRun;

    Run cli(const QStringList &args, const QString &key)
    {
        return mt::test::runCli(QStringList{QStringLiteral("triage")} + args, env(key));
    }

    QString key() const { return m_server->options().apiKey; }

private slots:
    void init()
    {
        m_server = std::make_unique<fakes::FakeGeminiServer>();
        QVERIFY(m_server->start());
        m_home = std::make_unique<QTemporaryDir>();
        QDir().mkpath(media());
    }
    void cleanup()
    {
        QVERIFY2(m_server->violations().isEmpty(), qPrintable(m_server->violations().join(u'\n')));
        m_server.reset();
        m_home.reset();
    }

    void jsonFollowsTheContract()
    {
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("a.jpg")), 1));
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("b-dark.jpg")), 2));
        QVERIFY(testing::copyFixture(QStringLiteral("clip.webm"), QDir(media()).filePath(QStringLiteral("oops.webm"))));
        const Run run = cli({QStringLiteral("--json"), media()}, key());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(run.out).object();
        // The one result document (README, "The result document").
        QCOMPARE(doc.keys(), (QStringList{QStringLiteral("counts"), QStringLiteral("engine"), QStringLiteral("estimate"),
                                          QStringLiteral("generated_at"),
                                          QStringLiteral("items"), QStringLiteral("model"), QStringLiteral("schema_version"),
                                          QStringLiteral("stopped"), QStringLiteral("unsaved_verdicts"), QStringLiteral("usage")}));
        QCOMPARE(doc[QStringLiteral("schema_version")].toInt(), 2);
        QVERIFY(doc[QStringLiteral("stopped")].isNull());
        QCOMPARE(doc[QStringLiteral("counts")].toObject()[QStringLiteral("discard")].toInt(), 2);
        QCOMPARE(doc[QStringLiteral("engine")].toString(), QStringLiteral("gemini"));
        QCOMPARE(doc[QStringLiteral("model")].toString(), QStringLiteral("gemini-test-flash"));
        const QJsonArray items = doc[QStringLiteral("items")].toArray();
        QCOMPARE(items.size(), 3);
        QHash<QString, QJsonObject> byName;
        for (const auto &v : items) {
            const QJsonObject o = v.toObject();
            for (const char *field : {"path", "file", "kind", "size_bytes", "verdict", "reason", "source", "engine_verdict",
                                      "overridden", "error", "error_code", "duplicate_group", "best_in_group", "similar_to",
                                      "live_photo_of", "identical_to", "companions", "content_hash", "model_version", "group",
                                      "xmp", "motion"})
                QVERIFY2(o.contains(QLatin1String(field)), field);
            QCOMPARE(o.size(), 22);
            QVERIFY(o[QStringLiteral("error")].isNull());
            byName.insert(QFileInfo(o[QStringLiteral("path")].toString()).fileName(), o);
        }
        QCOMPARE(byName[QStringLiteral("a.jpg")][QStringLiteral("verdict")].toString(), QStringLiteral("keep"));
        QCOMPARE(byName[QStringLiteral("b-dark.jpg")][QStringLiteral("verdict")].toString(), QStringLiteral("discard"));
        QCOMPARE(byName[QStringLiteral("b-dark.jpg")][QStringLiteral("source")].toString(), QStringLiteral("gemini"));
        QCOMPARE(byName[QStringLiteral("oops.webm")][QStringLiteral("source")].toString(), QStringLiteral("prefilter"));
        const QJsonObject usage = doc[QStringLiteral("usage")].toObject();
        QCOMPARE(usage[QStringLiteral("requests")].toInt(), 1);
        QVERIFY(usage[QStringLiteral("prompt_tokens")].toInt() > 0);
        QVERIFY(usage[QStringLiteral("output_tokens")].toInt() > 0);
        QVERIFY(!run.out.contains(key().toUtf8()));
        QVERIFY(!run.err.contains(key().toUtf8()));
        QVERIFY(run.err.contains("Sending 2 item(s)")); // the estimate comes before any request
        // JSON key order as documented.
        QVERIFY(run.out.indexOf("\"engine\"") < run.out.indexOf("\"model\""));
        QVERIFY(run.out.indexOf("\"model\"") < run.out.indexOf("\"items\""));
        QVERIFY(run.out.indexOf("\"path\"") < run.out.indexOf("\"verdict\""));
    }

    // Stills that move carry `motion` in every result: a Live Photo names its clip, a Samsung or
    // Google Motion Photo the video inside it; a plain photo has none. The same for Gemini, the
    // offline engine and `analyze`.
    void motionInResults_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<bool>("withKey");
        QTest::newRow("triage, gemini") << QStringList{QStringLiteral("triage"), QStringLiteral("--json")} << true;
        QTest::newRow("triage, local") << QStringList{QStringLiteral("triage"), QStringLiteral("--json")} << false;
        QTest::newRow("analyze") << QStringList{QStringLiteral("analyze"), QStringLiteral("--json")} << false;
    }
    void motionInResults()
    {
        QFETCH(QStringList, command);
        QFETCH(bool, withKey);
        const QString shared = QStringLiteral(MT_SHARED_MEDIA_DIR);
        QFile mp4(shared + QStringLiteral("/jcodec__keyed.mp4"));
        if (!QFile::exists(shared + QStringLiteral("/immich__samsung-one-ui-6.heic")) || !mp4.open(QIODevice::ReadOnly))
            QSKIP("../shared/testdata is not here");
        const QDir dir(media());
        QVERIFY(testing::copyFixture(QStringLiteral("orient6.jpg"), dir.filePath(QStringLiteral("IMG_2.JPG"))));
        QVERIFY(testing::copyFixture(QStringLiteral("apple.mov"), dir.filePath(QStringLiteral("IMG_2.MOV"))));
        QVERIFY(QFile::copy(shared + QStringLiteral("/immich__samsung-one-ui-6.heic"), dir.filePath(QStringLiteral("samsung.heic"))));
        const QByteArray clip = mp4.readAll();
        QFile google(dir.filePath(QStringLiteral("PXL_1.MP.jpg")));
        QVERIFY(google.open(QIODevice::WriteOnly));
        QVERIFY(google.write(test::googleMotionPhoto(clip)) > clip.size());
        google.close();
        QVERIFY(testing::writePhoto(dir.filePath(QStringLiteral("plain.jpg")), 3));

        const QString program = command.takeFirst();
        const Run run = mt::test::runCli(QStringList{program} + command + QStringList{media()}, env(withKey ? key() : QString()));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(run.out);
        const QJsonArray items = doc.isArray() ? doc.array() : doc[QStringLiteral("items")].toArray();
        QHash<QString, QJsonValue> motionOf;
        for (const auto &v : items) {
            QVERIFY2(v.toObject().contains(QStringLiteral("motion")), qPrintable(v[QStringLiteral("path")].toString()));
            motionOf.insert(QFileInfo(v[QStringLiteral("path")].toString()).fileName(), v[QStringLiteral("motion")]);
        }
        QCOMPARE(motionOf.size(), 5);
        struct Expected {
            const char *file, *kind, *clipFile;
            qint64 offset, length;
            double seconds;
        };
        const qint64 googleOffset = google.size() - clip.size();
        for (const Expected &e : {Expected{"IMG_2.JPG", "live_photo", "IMG_2.MOV", 0, QFileInfo(dir.filePath(QStringLiteral("IMG_2.MOV"))).size(), -1},
                                  Expected{"samsung.heic", "motion_photo", "samsung.heic", 452284, 3226469, 3.13},
                                  Expected{"PXL_1.MP.jpg", "motion_photo", "PXL_1.MP.jpg", googleOffset, clip.size(), 11.37}}) {
            const QJsonObject motion = motionOf.value(QLatin1String(e.file)).toObject();
            QCOMPARE(motion[QStringLiteral("kind")].toString(), QLatin1String(e.kind));
            const QJsonObject where = motion[QStringLiteral("clip")].toObject();
            QCOMPARE(where[QStringLiteral("path")].toString(), dir.filePath(QLatin1String(e.clipFile)));
            QCOMPARE(where[QStringLiteral("offset")].toInteger(), e.offset);
            QCOMPARE(where[QStringLiteral("length")].toInteger(), e.length);
            QVERIFY2(motion[QStringLiteral("duration_s")].toDouble() > 0, e.file);
            if (e.seconds > 0)
                QVERIFY2(std::abs(motion[QStringLiteral("duration_s")].toDouble() - e.seconds) < 0.05, e.file);
            QVERIFY(motion[QStringLiteral("error")].isNull());
        }
        QVERIFY(motionOf.value(QStringLiteral("plain.jpg")).isNull());
        QVERIFY(motionOf.value(QStringLiteral("IMG_2.MOV")).isNull()); // the clip is the still's motion, not a still
    }

    // The estimate in the result document says what it was computed with.
    void estimateSaysWherePricesCameFrom_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("source");
        QTest::addColumn<double>("inputPerMillion");
        QTest::newRow("table") << QStringLiteral("gemini-2.5-flash") << QStringList() << QStringLiteral("table 2026-03-22") << 0.30;
        QTest::newRow("assumed") << QStringLiteral("gemini-3.8-flash") << QStringList() << QStringLiteral("assumed") << 0.50;
        QTest::newRow("user") << QStringLiteral("gemini-3.8-flash") << QStringList{QStringLiteral("--price"), QStringLiteral("0.6,3.5")}
                              << QStringLiteral("user") << 0.6;
    }
    void estimateSaysWherePricesCameFrom()
    {
        QFETCH(QString, model);
        QFETCH(QStringList, args);
        QFETCH(QString, source);
        QFETCH(double, inputPerMillion);
        fakes::FakeGeminiOptions options;
        options.models = {model};
        m_server = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_server->start());
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("a.jpg")), 1));
        const Run run = cli(args << QStringLiteral("--model") << model << QStringLiteral("--json") << media(), key());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject estimate = QJsonDocument::fromJson(run.out).object()[QStringLiteral("estimate")].toObject();
        QCOMPARE(estimate.keys(), (QStringList{QStringLiteral("input_per_million"), QStringLiteral("input_tokens"),
                                               QStringLiteral("model"), QStringLiteral("output_per_million"),
                                               QStringLiteral("output_tokens"), QStringLiteral("price_source"), QStringLiteral("usd")}));
        QCOMPARE(estimate[QStringLiteral("model")].toString(), model);
        QCOMPARE(estimate[QStringLiteral("price_source")].toString(), source);
        QCOMPARE(estimate[QStringLiteral("input_per_million")].toDouble(), inputPerMillion);
        QVERIFY(estimate[QStringLiteral("usd")].toDouble() > 0);
        QVERIFY(estimate[QStringLiteral("input_tokens")].toInt() > 0);
        if (source == QLatin1String("assumed"))
            QVERIFY(run.err.contains("--price")); // the person is told how to set their own
    }

    void rerunIsFreeAndReportsCsv()
    {
        for (int i = 1; i <= 4; ++i)
            QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("p%1.jpg").arg(i)), i));
        QCOMPARE(cli({media()}, key()).exitCode, 0);
        m_server->resetCounters();
        const QString report = m_home->filePath(QStringLiteral("report.csv"));
        const Run again = cli({QStringLiteral("--report"), report, media()}, key());
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(m_server->stats().generateCalls, 0);
        QCOMPARE(m_server->stats().modelGets, 0); // not even the key check
        QFile csv(report);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        QVERIFY2(lines[0].startsWith("path,file,kind,size_bytes,verdict,reason,source,"), lines[0].constData());
        QVERIFY(lines[1].contains(",keep,") && lines[1].contains(",cache,"));
    }

    void jsonReportFile()
    {
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("a.jpg")), 1));
        const QString report = m_home->filePath(QStringLiteral("report.json"));
        QCOMPARE(cli({QStringLiteral("--report"), report, media()}, key()).exitCode, 0);
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(doc[QStringLiteral("items")].toArray().size(), 1);
    }

    void trashMovesOnlyDiscardsAfterConfirmation()
    {
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("keep.jpg")), 1));
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("pocket-dark.jpg")), 2));
        // Not a terminal and no --yes: refuse, move nothing.
        const Run refused = cli({QStringLiteral("--trash"), media()}, key());
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(QFile::exists(QDir(media()).filePath(QStringLiteral("pocket-dark.jpg"))));

        const Run run = cli({QStringLiteral("--trash"), QStringLiteral("--yes"), media()}, key());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!QFile::exists(QDir(media()).filePath(QStringLiteral("pocket-dark.jpg"))));
        QVERIFY(QFile::exists(QDir(media()).filePath(QStringLiteral("keep.jpg"))));
        QVERIFY(QFile::exists(m_home->filePath(QStringLiteral("data/Trash/files/pocket-dark.jpg"))));
    }

    void trashRefusesAFileChangedSinceItsVerdict()
    {
        const QString path = QDir(media()).filePath(QStringLiteral("x.jpg"));
        QVERIFY(testing::writePhoto(path, 1));
        TriageItemResult verdict;
        verdict.path = path;
        verdict.verdict = VerdictKind::Discard;
        verdict.contentHash = *contentHash(path);
        QVERIFY(testing::writePhoto(path, 2)); // edited after triage
        const TrashOutcome outcome = DiscardMover::moveToTrash(verdict);
        QVERIFY(!outcome.moved);
        QVERIFY(outcome.error.contains(QLatin1String("changed")));
        QVERIFY(QFile::exists(path));
    }

    void killedRunResumesAndPaysOnlyForTheRest()
    {
        for (int i = 1; i <= 60; ++i)
            QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("k%1.jpg").arg(i, 2, 10, QChar(u'0'))), i));
        m_server->queueFaults({Fault::None, Fault::Slow, Fault::Slow}); // one batch returns, two hang
        QProcess p;
        p.setProcessEnvironment(env(key()));
        p.start(QStringLiteral(MT_CLI_PATH), {QStringLiteral("triage"), QStringLiteral("--json"), media()});
        QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().answeredCalls, 1, 30000);
        QTest::qWait(500); // the batch reaches the store
        p.kill();           // SIGKILL: no chance to clean up
        QVERIFY(p.waitForFinished(5000));

        m_server = std::make_unique<fakes::FakeGeminiServer>();
        QVERIFY(m_server->start());
        const Run rerun = cli({QStringLiteral("--json"), media()}, key());
        QVERIFY2(rerun.exitCode == 0, rerun.err.constData());
        QCOMPARE(m_server->stats().generateCalls, 2); // the 40 items that were not finished
        QCOMPARE(m_server->judgedFiles().size(), 40);
        int cached = 0;
        for (const auto &v : QJsonDocument::fromJson(rerun.out).object()[QStringLiteral("items")].toArray())
            cached += v.toObject()[QStringLiteral("source")].toString() == QLatin1String("cache") ? 1 : 0;
        QCOMPARE(cached, 20);
    }

    void withoutKeyTheLocalEngineJudges_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("default engine") << QStringList{};
        QTest::newRow("--engine local") << QStringList{QStringLiteral("--engine"), QStringLiteral("local")};
    }
    void withoutKeyTheLocalEngineJudges()
    {
        QFETCH(QStringList, args);
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("a.jpg")), 1));
        const Run run = cli(args << QStringLiteral("--json") << media(), QString());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(doc[QStringLiteral("engine")].toString(), QStringLiteral("local"));
        QVERIFY(doc[QStringLiteral("model")].isNull());
        const QJsonObject item = doc[QStringLiteral("items")].toArray().first().toObject();
        QCOMPARE(item[QStringLiteral("source")].toString(), QStringLiteral("local"));
        QVERIFY(item[QStringLiteral("verdict")].toString() == QLatin1String("keep")
                || item[QStringLiteral("verdict")].toString() == QLatin1String("discard"));
        QCOMPARE(doc[QStringLiteral("usage")].toObject()[QStringLiteral("requests")].toInt(), 0);
        QCOMPARE(m_server->stats().generateCalls, 0);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("--engine gemini without key") << QStringList{QStringLiteral("--engine"), QStringLiteral("gemini")} << QStringLiteral("No Gemini API key");
        QTest::newRow("bad engine") << QStringList{QStringLiteral("--engine"), QStringLiteral("magic")} << QStringLiteral("gemini or local");
        QTest::newRow("bad budget") << QStringList{QStringLiteral("--budget"), QStringLiteral("lots")} << QStringLiteral("--budget");
        QTest::newRow("price with one amount") << QStringList{QStringLiteral("--price"), QStringLiteral("0.25")} << QStringLiteral("--price takes two amounts");
        QTest::newRow("negative price") << QStringList{QStringLiteral("--price"), QStringLiteral("0.25,-1")} << QStringLiteral("--price takes two amounts");
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("a.jpg")), 1));
        const Run run = cli(args << media(), QString());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
        QCOMPARE(m_server->stats().generateCalls, 0);
    }

    void rejectedKeyIsSaidPlainlyAndNeverShown()
    {
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("a.jpg")), 1));
        const QString wrong = QStringLiteral("AIzaSy-this-is-secret-9876");
        const Run run = cli({QStringLiteral("--json"), media()}, wrong);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("API key was rejected"), run.err.constData());
        QVERIFY(!run.err.contains(wrong.toUtf8()));
        QVERIFY(!run.out.contains(wrong.toUtf8()));
        QCOMPARE(m_server->stats().generateCalls, 0);
        m_server->resetCounters();
    }

    void unknownModelIsSaidPlainly()
    {
        QVERIFY(testing::writePhoto(QDir(media()).filePath(QStringLiteral("a.jpg")), 1));
        const Run run = cli({QStringLiteral("--model"), QStringLiteral("gemini-0-retired"), media()}, key());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("Model 'gemini-0-retired' was not found"), run.err.constData());
        QCOMPARE(m_server->stats().generateCalls, 0);
    }
};

QTEST_GUILESS_MAIN(TestTriageCli)
#include "tst_triage_cli.moc"
