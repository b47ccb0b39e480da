// The triage engine end to end against the fake Gemini: verdicts on the right files across
// batches, pre-filters, Live Photos, duplicates, every scripted fault, the store, budget,
// cancellation, privacy of what is uploaded.
#include "FakeGeminiServer.h"
#include "TriageTestSupport.h"
#include "media/FolderScanner.h"
#include "triage/TriageEngine.h"
#include "triage/TriagePrompt.h"
#include "triage/VerdictStore.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QImageReader>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace mt;
using mt::fakes::Fault;

namespace {
QStringList g_logged;
void collectLog(QtMsgType, const QMessageLogContext &, const QString &message) { g_logged << message; }
} // namespace

Q_DECLARE_METATYPE(mt::fakes::Fault)

class TestTriageEngine : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<fakes::FakeGeminiServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<VerdictStore> m_store;

    gemini::GeminiConfig config() const
    {
        gemini::GeminiConfig c;
        c.baseUrl = m_server->baseUrl();
        c.apiKey = m_server->options().apiKey;
        c.model = QStringLiteral("gemini-test-flash");
        c.retry.initialDelay = std::chrono::milliseconds(5);
        c.retry.maxJitter = std::chrono::milliseconds(5);
        c.requestTimeout = std::chrono::milliseconds(5000);
        c.filePollInterval = std::chrono::milliseconds(10);
        return c;
    }

    QString folder() const { return m_dir->filePath(QStringLiteral("media")); }

    // n photos named p01.jpg...; every name in `dark` gets "dark" in it (the fake discards those).
    void makePhotos(int n, const QSet<int> &dark = {})
    {
        QDir().mkpath(folder());
        for (int i = 1; i <= n; ++i) {
            const QString name = QStringLiteral("p%1%2.jpg").arg(i, 2, 10, QChar(u'0')).arg(dark.contains(i) ? QStringLiteral("-dark") : QString());
            QVERIFY(testing::writePhoto(QDir(folder()).filePath(name), i));
        }
    }

    std::vector<MediaItem> scan() const { return FolderScanner().scanFolder(folder()); }

    TriageRun triage(TriageOptions options = {}, const CancellationToken &token = {})
    {
        TriageEngine engine(config(), m_store.get());
        return engine.run(scan(), options, token);
    }

    static const TriageItemResult *find(const TriageRun &run, const QString &fileName)
    {
        for (const TriageItemResult &r : run.items)
            if (r.path.endsWith(u'/' + fileName))
                return &r;
        return nullptr;
    }

    void verifyAllJudgedByName(const TriageRun &run)
    {
        for (const TriageItemResult &r : run.items) {
            QVERIFY2(r.verdict != VerdictKind::Error, qPrintable(r.path + QStringLiteral(": ") + r.errorMessage()));
            const bool dark = QFileInfo(r.path).fileName().contains(QLatin1String("dark"));
            QCOMPARE(r.verdict, dark ? VerdictKind::Discard : VerdictKind::Keep);
        }
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_server = std::make_unique<fakes::FakeGeminiServer>();
        QVERIFY(m_server->start());
        m_dir = std::make_unique<QTemporaryDir>();
        auto store = VerdictStore::open(m_dir->filePath(QStringLiteral("verdicts.sqlite")));
        QVERIFY(store.ok());
        m_store = std::move(*store);
    }

    void cleanup()
    {
        QVERIFY2(m_server->violations().isEmpty(), qPrintable(m_server->violations().join(u'\n')));
        QCOMPARE(m_server->stats().liveFiles, 0); // nothing left on the server
        m_store.reset();
        m_server.reset();
        m_dir.reset();
    }

    void verdictsLandOnTheRightFilesAcrossBatches()
    {
        makePhotos(45, {3, 20, 21, 40, 45});
        const TriageRun run = triage();
        QCOMPARE(run.items.size(), size_t(45));
        verifyAllJudgedByName(run);
        QCOMPARE(m_server->stats().answeredCalls, 3); // 20 + 20 + 5
        QCOMPARE(run.usage.requests, 3);
        QVERIFY(run.usage.promptTokens > 0);
        QCOMPARE(find(run, QStringLiteral("p20-dark.jpg"))->source, VerdictSource::Gemini);
        QCOMPARE(find(run, QStringLiteral("p21-dark.jpg"))->modelVersion, QStringLiteral("gemini-test-flash-fake-001"));
        QCOMPARE(m_store->count(), 45);
    }

    void progressCountsUpToTheTotal()
    {
        makePhotos(25);
        QVERIFY(testing::copyFixture(QStringLiteral("clip.webm"), QDir(folder()).filePath(QStringLiteral("short.webm"))));
        QList<TriageProgress> seen;
        TriageOptions options;
        options.progress = [&](const TriageProgress &p) { seen << p; };
        triage(options);
        QVERIFY(seen.size() >= 4); // reading, judging, one per batch, done
        QCOMPARE(seen.first().stage, TriageProgress::Stage::Reading);
        QCOMPARE(seen.last().stage, TriageProgress::Stage::Done);
        for (int i = 1; i < seen.size(); ++i) {
            QVERIFY(seen[i].done >= seen[i - 1].done);
            QCOMPARE(seen[i].total, 26);
        }
        QCOMPARE(seen.last().done, 26);
        QVERIFY(seen[seen.size() - 2].promptTokens > 0);
    }

    void secondRunMakesNoRequest()
    {
        makePhotos(8, {2});
        triage();
        m_server->resetCounters();
        const TriageRun again = triage();
        QCOMPARE(m_server->stats().generateCalls, 0);
        QCOMPARE(m_server->stats().modelGets, 0);
        QCOMPARE(again.usage.requests, 0);
        verifyAllJudgedByName(again);
        for (const TriageItemResult &r : again.items)
            QCOMPARE(r.source, VerdictSource::Cache);
    }

    void renamedFileIsStillKnown()
    {
        makePhotos(3);
        triage();
        QVERIFY(QFile::rename(QDir(folder()).filePath(QStringLiteral("p01.jpg")), QDir(folder()).filePath(QStringLiteral("renamed.jpg"))));
        m_server->resetCounters();
        const TriageRun again = triage();
        QCOMPARE(m_server->stats().generateCalls, 0);
        QCOMPARE(find(again, QStringLiteral("renamed.jpg"))->source, VerdictSource::Cache);
    }

    void prefiltersLivePhotosAndDuplicates()
    {
        makePhotos(3);
        const QDir dir(folder());
        QVERIFY(testing::copyFixture(QStringLiteral("clip.webm"), dir.filePath(QStringLiteral("short.webm"))));   // 1 s
        QVERIFY(testing::writePhoto(dir.filePath(QStringLiteral("IMG_1234.jpg")), 99));
        QVERIFY(testing::copyFixture(QStringLiteral("android.mp4"), dir.filePath(QStringLiteral("IMG_1234.mp4")))); // its motion clip
        QVERIFY(QFile::copy(dir.filePath(QStringLiteral("p02.jpg")), dir.filePath(QStringLiteral("p02 copy.jpg"))));
        QVERIFY(testing::copyFixture(QStringLiteral("zero.jpg"), dir.filePath(QStringLiteral("broken.jpg"))));
        QVERIFY(testing::copyFixture(QStringLiteral("text.heic"), dir.filePath(QStringLiteral("notaphoto.heic"))));

        const TriageRun run = triage();
        const TriageItemResult *shortClip = find(run, QStringLiteral("short.webm"));
        QCOMPARE(shortClip->verdict, VerdictKind::Discard);
        QCOMPARE(shortClip->source, VerdictSource::Prefilter);
        QVERIFY2(shortClip->reason.startsWith(QLatin1String("accidental clip: 1.0 s")), qPrintable(shortClip->reason));

        const TriageItemResult *motion = find(run, QStringLiteral("IMG_1234.mp4"));
        QCOMPARE(motion->verdict, VerdictKind::Keep);
        QVERIFY(motion->followsPath().endsWith(QLatin1String("IMG_1234.jpg")));
        QVERIFY(motion->reason.contains(QLatin1String("Live Photo")));

        // Exact copies: one is sent, the other shares its verdict.
        const TriageItemResult *copy = find(run, QStringLiteral("p02 copy.jpg"));
        const TriageItemResult *original = find(run, QStringLiteral("p02.jpg"));
        QCOMPARE(copy->verdict, VerdictKind::Keep);
        QCOMPARE(original->verdict, VerdictKind::Keep);
        QVERIFY(copy->followsPath() == original->path || original->followsPath() == copy->path);

        const TriageItemResult *broken = find(run, QStringLiteral("broken.jpg"));
        QCOMPARE(broken->verdict, VerdictKind::Error);
        QVERIFY(!broken->errorMessage().isEmpty());
        QCOMPARE(find(run, QStringLiteral("notaphoto.heic"))->verdict, VerdictKind::Error);

        // Sent: p01..p03 and IMG_1234.jpg; never the clip, the copy, the short clip or the broken file.
        QCOMPARE(m_server->judgedFiles().size(), 4);
        QVERIFY(!m_server->judgedFiles().contains(QStringLiteral("IMG_1234.mp4")));
        QCOMPARE(m_server->stats().uploadsStarted, 0);
    }

    void videosAreCompressedUploadedAndDeleted()
    {
        makePhotos(2);
        QVERIFY(testing::copyFixture(QStringLiteral("apple.mov"), QDir(folder()).filePath(QStringLiteral("walk.mov"))));
        const TriageRun run = triage();
        verifyAllJudgedByName(run);
        const auto stats = m_server->stats();
        QCOMPARE(stats.uploadsFinished, 1);
        QCOMPARE(stats.deletes, 1);
        // What went up is WebM without the phone's location.
        bool sawVideo = false;
        for (const QByteArray &media : m_server->receivedMedia()) {
            if (media.startsWith("\x1A\x45\xDF\xA3")) {
                sawVideo = true;
                QVERIFY(!media.contains("ISO6709"));
                QVERIFY(!media.contains("+37.7858"));
            }
        }
        QVERIFY(sawVideo);
    }

    void uploadedPhotosCarryNoExifAndAreDownscaled()
    {
        QDir().mkpath(folder());
        QVERIFY(testing::copyFixture(QStringLiteral("full.jpg"), QDir(folder()).filePath(QStringLiteral("gps.jpg"))));
        QVERIFY(testing::writePhoto(QDir(folder()).filePath(QStringLiteral("big.jpg")), 5, 2600, 1700));
        QVERIFY(testing::copyFixture(QStringLiteral("photo.heic"), QDir(folder()).filePath(QStringLiteral("phone.heic"))));
        const TriageRun run = triage();
        verifyAllJudgedByName(run);
        const QList<QByteArray> media = m_server->receivedMedia();
        QCOMPARE(media.size(), 3);
        for (QByteArray bytes : media) {
            QVERIFY(bytes.startsWith("\xFF\xD8\xFF"));
            QVERIFY2(!bytes.contains("Exif"), "EXIF block uploaded");
            QBuffer buffer(&bytes);
            QImageReader reader(&buffer);
            const QSize size = reader.size();
            QVERIFY(std::max(size.width(), size.height()) <= 1920);
        }
        QVERIFY(find(run, QStringLiteral("big.jpg")));
    }

    void faultsRecover_data()
    {
        QTest::addColumn<Fault>("fault");
        QTest::addColumn<int>("calls");
        QTest::newRow("429 RetryInfo") << Fault::RateLimited << 2;
        QTest::newRow("503") << Fault::Unavailable << 2;
        QTest::newRow("truncated body") << Fault::TruncatedBody << 2;
        QTest::newRow("malformed JSON") << Fault::MalformedJson << 2;
        QTest::newRow("prose-wrapped JSON") << Fault::ProseWrapped << 1;
        QTest::newRow("missing item") << Fault::MissingItem << 2;
        QTest::newRow("wrong file name") << Fault::WrongFileName << 2;
        QTest::newRow("duplicated item") << Fault::DuplicateItem << 2;
        QTest::newRow("SAFETY") << Fault::SafetyBlock << 3;      // split in halves
        QTest::newRow("prompt blocked") << Fault::PromptBlocked << 3;
        QTest::newRow("MAX_TOKENS") << Fault::MaxTokens << 3;
        QTest::newRow("empty candidates") << Fault::EmptyCandidates << 3;
    }
    void faultsRecover()
    {
        QFETCH(Fault, fault);
        QFETCH(int, calls);
        makePhotos(6, {1, 6});
        m_server->queueFaults({fault});
        const TriageRun run = triage();
        verifyAllJudgedByName(run);
        QCOMPARE(m_server->stats().generateCalls, calls);
        QCOMPARE(m_store->count(), 6);
    }

    void itemLeftOutThreeTimesIsAnError()
    {
        makePhotos(4);
        QVERIFY(testing::writePhoto(QDir(folder()).filePath(QStringLiteral("zz-last.jpg")), 77));
        m_server->setFileFault(QStringLiteral("zz-last.jpg"), Fault::MissingItem);
        const TriageRun run = triage();
        const TriageItemResult *last = find(run, QStringLiteral("zz-last.jpg"));
        QCOMPARE(last->verdict, VerdictKind::Error);
        QVERIFY2(last->errorMessage().startsWith(QLatin1String("no verdict")), qPrintable(last->errorMessage()));
        QCOMPARE(m_server->stats().generateCalls, 3); // first ask + 2 re-asks
        for (int i = 1; i <= 4; ++i)
            QCOMPARE(find(run, QStringLiteral("p%1.jpg").arg(i, 2, 10, QChar(u'0')))->verdict, VerdictKind::Keep);
        QCOMPARE(m_store->count(), 4); // "no verdict" is never stored
    }

    void blockedItemIsIsolated()
    {
        makePhotos(8);
        m_server->setFileFault(QStringLiteral("p05.jpg"), Fault::SafetyBlock);
        const TriageRun run = triage();
        for (const TriageItemResult &r : run.items) {
            if (r.path.endsWith(QLatin1String("p05.jpg"))) {
                QCOMPARE(r.verdict, VerdictKind::Error);
                QVERIFY(r.errorMessage().contains(QLatin1String("SAFETY")));
            } else {
                QCOMPARE(r.verdict, VerdictKind::Keep);
            }
        }
    }

    void rejectedKeyStopsTheRunWithoutLeakingIt()
    {
        makePhotos(30);
        gemini::GeminiConfig c = config();
        c.apiKey = QStringLiteral("AIza-wrong-secret-1234");
        TriageEngine engine(c, m_store.get());
        g_logged.clear();
        const QtMessageHandler previous = qInstallMessageHandler(collectLog);
        const TriageRun run = engine.run(scan(), {});
        qInstallMessageHandler(previous);
        for (const QString &line : std::as_const(g_logged))
            QVERIFY2(!line.contains(c.apiKey), "the key was logged");
        QVERIFY(run.stopped);
        QVERIFY(run.stopped->message.contains(QLatin1String("API key was rejected")));
        for (const TriageItemResult &r : run.items) {
            QCOMPARE(r.verdict, VerdictKind::Error);
            QVERIFY(!r.errorMessage().contains(c.apiKey));
        }
        QVERIFY(m_server->stats().generateCalls <= 3); // no item-by-item hammering
        QVERIFY(m_server->stats().rejected >= 1);
        m_server->resetCounters(); // the rejections were the point
    }

    void budgetCapStopsCleanly()
    {
        makePhotos(45);
        TriageOptions options;
        options.requestsInFlight = 1;
        options.price = ModelPrice::user(1000.0, 1000.0); // $0.001 a token: one batch costs ~$7, its worst case ~$14
        options.budgetUsd = 20.0;
        CostEstimate seen;
        options.confirmEstimate = [&](const CostEstimate &e) { seen = e; return true; };
        const TriageRun run = triage(options);
        QCOMPARE(seen.items, 45);
        QCOMPARE(seen.requests, 3);
        QVERIFY(seen.usd > 20.0);
        QVERIFY(run.stopped);
        QVERIFY(run.stopped->message.contains(QLatin1String("budget")));
        int judged = 0, notSent = 0;
        for (const TriageItemResult &r : run.items) {
            judged += r.verdict == VerdictKind::Keep ? 1 : 0;
            notSent += r.errorMessage().contains(QLatin1String("budget")) ? 1 : 0;
        }
        QCOMPARE(judged, 20); // the first batch fits, the second's worst case would pass the cap
        QCOMPARE(judged + notSent, 45);
        QCOMPARE(m_store->count(), judged);
        QVERIFY(costOf(run.usage.promptTokens, run.usage.outputTokens, *options.price) <= *options.budgetUsd);
    }

    void declinedEstimateSendsNothing()
    {
        makePhotos(3);
        TriageOptions options;
        options.confirmEstimate = [](const CostEstimate &) { return false; };
        const TriageRun run = triage(options);
        QCOMPARE(m_server->stats().generateCalls, 0);
        QVERIFY(run.stopped);
    }

    void cancellationEndsPromptlyAndCleansUp()
    {
        makePhotos(45);
        QVERIFY(testing::copyFixture(QStringLiteral("apple.mov"), QDir(folder()).filePath(QStringLiteral("zz.mov"))));
        m_server->setGenerateLatencyMs(1500);
        CancellationToken token;
        std::unique_ptr<QThread> canceller(QThread::create([token] { QThread::msleep(400); token.cancel(); }));
        canceller->start();
        QElapsedTimer timer;
        timer.start();
        const TriageRun run = triage({}, token);
        canceller->wait();
        QVERIFY2(timer.elapsed() < 2500, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(run.stopped);
        QCOMPARE(run.stopped->code, Error::Code::Cancelled);
        for (const TriageItemResult &r : run.items)
            QVERIFY(r.verdict == VerdictKind::Error);
        QTRY_COMPARE(m_server->stats().liveFiles, 0);
    }

    void requestsOverlapAndPayloadStaysBounded()
    {
        m_server = std::make_unique<fakes::FakeGeminiServer>(fakes::FakeGeminiOptions{
            QStringLiteral("fake-key-0123456789"), {QStringLiteral("gemini-test-flash")}, 300, 0, 3000, 1, 40 * 1024});
        QVERIFY(m_server->start());
        makePhotos(40);
        TriageOptions options;
        options.maxBatchBytes = 12 * 1024; // a few photos per request
        const TriageRun run = triage(options);
        verifyAllJudgedByName(run);
        QVERIFY(m_server->stats().answeredCalls > 2);
        QVERIFY(m_server->stats().maxConcurrentGenerate >= 2);
    }

    void promptVersionIsStableAndSchemaForcesArray()
    {
        QCOMPARE(TriagePrompt::version(), TriagePrompt::version());
        QVERIFY(TriagePrompt::systemInstruction().contains(QLatin1String("saveable")));
        QVERIFY(TriagePrompt::responseSchema()["type"] == "ARRAY");
    }
};

QTEST_GUILESS_MAIN(TestTriageEngine)
#include "tst_triage_engine.moc"
