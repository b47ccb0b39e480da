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

#include <mutex>

using namespace mt;
using mt::fakes::Fault;

namespace {
QStringList g_logged;
void collectLog(QtMsgType, const QMessageLogContext &, const QString &message) { g_logged << message; }

// Stands in for the AV1 compressor where a test is about what happens on Gemini's side: a small
// WebM per item (distinct bytes per file), written where the compressor would write it.
class SmallWebmPreparer : public VideoPreparer {
public:
    Result<PreparedMedia> prepare(const MediaItem &item, const QString &workDir, const CancellationToken &) const override
    {
        const QString path = QDir(workDir).filePath(item.fileName + QStringLiteral(".webm"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return makeError(Error::Code::Io, QStringLiteral("cannot write ") + path);
        const QByteArray bytes = QByteArray("\x1A\x45\xDF\xA3", 4) + item.fileName.toUtf8() + QByteArray(2000, 'w');
        f.write(bytes);
        return PreparedMedia{QStringLiteral("video/webm"), {}, path, bytes.size()};
    }
};
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

    // Videos prepared by SmallWebmPreparer (the compressor is tested elsewhere).
    TriageRun triageWithSmallVideos(gemini::GeminiConfig c, TriageOptions options = {}, const CancellationToken &token = {})
    {
        TriageEngine engine(std::move(c), m_store.get(),
                            MediaPreparer(std::make_shared<DownscalingPhotoPreparer>(), std::make_shared<SmallWebmPreparer>()));
        return engine.run(scan(), options, token);
    }

    // n distinct 2-second videos v01.mov...; names in `dark` get "dark" in them.
    void makeVideos(int n, const QSet<int> &dark = {})
    {
        QDir().mkpath(folder());
        for (int i = 1; i <= n; ++i) {
            const QString path = QDir(folder()).filePath(
                QStringLiteral("v%1%2.mov").arg(i, 2, 10, QChar(u'0')).arg(dark.contains(i) ? QStringLiteral("-dark") : QString()));
            QVERIFY(testing::copyFixture(QStringLiteral("apple.mov"), path));
            QFile f(path);
            QVERIFY(f.open(QIODevice::Append));
            f.write(QByteArray("distinct") + QByteArray::number(i)); // trailing bytes: another content hash
        }
    }

    void restartServer(fakes::FakeGeminiOptions options)
    {
        m_server = std::make_unique<fakes::FakeGeminiServer>(std::move(options));
        QVERIFY(m_server->start());
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
        QCOMPARE(m_server->stats().liveFiles, 0); // at once: every upload name was known before it started
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

    // Done-when of issue 14: a 60-item folder against every fault at once finishes with every
    // verdict on the right file, the vanished videos uploaded again and judged.
    void sixtyItemsFinishThroughEveryFault_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("gemini-2.5-flash") << QStringLiteral("gemini-2.5-flash");
        QTest::newRow("default model") << gemini::GeminiConfig().model;
    }
    void sixtyItemsFinishThroughEveryFault()
    {
        QFETCH(QString, model);
        fakes::FakeGeminiOptions options;
        options.models = {model};
        options.retryDelay = QStringLiteral("0.05s");
        restartServer(options);
        makePhotos(48, {3, 17, 40});
        makeVideos(12, {2, 9});
        m_server->queueFaults({Fault::RateLimited, Fault::ThinkingOverrun, Fault::Unavailable, Fault::MissingItem,
                               Fault::QuotaInWords, Fault::TruncatedBody, Fault::WrongFileName});
        m_server->makeVanish(QStringLiteral("v04.mov"), fakes::FakeGeminiServer::Vanish::BeforeUse);
        m_server->makeVanish(QStringLiteral("v07.mov"), fakes::FakeGeminiServer::Vanish::WhilePolling);
        gemini::GeminiConfig c = config();
        c.model = model;
        const TriageRun run = triageWithSmallVideos(c);
        QVERIFY2(!run.stopped, run.stopped ? qPrintable(run.stopped->message) : "");
        QCOMPARE(run.items.size(), size_t(60));
        verifyAllJudgedByName(run);
        const auto stats = m_server->stats();
        QCOMPARE(stats.vanished, 2);
        QCOMPARE(stats.uploadsFinished, 14); // 12 videos, 2 of them twice
        QVERIFY(m_server->judgedFiles().contains(QStringLiteral("v04.mov")));
        QVERIFY(m_server->judgedFiles().contains(QStringLiteral("v07.mov")));
        QCOMPARE(m_store->count(), 60);
    }

    void fileGoneTwiceFailsOnlyThatItem()
    {
        makePhotos(3);
        makeVideos(2);
        m_server->makeVanish(QStringLiteral("v01.mov"), fakes::FakeGeminiServer::Vanish::BeforeUse, 2);
        const TriageRun run = triageWithSmallVideos(config());
        const TriageItemResult *gone = find(run, QStringLiteral("v01.mov"));
        QCOMPARE(gone->verdict, VerdictKind::Error);
        QVERIFY2(gone->errorMessage().contains(QLatin1String("went missing again")), qPrintable(gone->errorMessage()));
        for (const QString &name : {QStringLiteral("p01.jpg"), QStringLiteral("p02.jpg"), QStringLiteral("p03.jpg"), QStringLiteral("v02.mov")})
            QCOMPARE(find(run, name)->verdict, VerdictKind::Keep);
        QVERIFY(!run.stopped);
    }

    void noRequestCarriesMoreThanTenVideos()
    {
        makeVideos(23);
        TriageOptions options;
        options.requestsInFlight = 1;
        const TriageRun run = triageWithSmallVideos(config(), options);
        verifyAllJudgedByName(run);
        QCOMPARE(m_server->stats().answeredCalls, 3); // 10 + 10 + 3; the fake refuses an 11th video
    }

    // Thinking that uses up maxOutputTokens leaves no answer: asked again once with twice the
    // allowance, not split in halves (each half would be billed).
    void thinkingThatFillsTheAllowanceIsAskedAgainLarger()
    {
        fakes::FakeGeminiOptions options;
        options.thinkingTokens = 3000; // above 5 items' allowance (2048 + 5 x 120), below twice it
        restartServer(options);
        makePhotos(5, {2});
        const TriageRun run = triage();
        verifyAllJudgedByName(run);
        QCOMPARE(m_server->stats().generateCalls, 2);
    }

    void fatalClassesStopTheRun_data()
    {
        QTest::addColumn<Fault>("fault");
        QTest::addColumn<QString>("says");
        QTest::newRow("location") << Fault::LocationUnsupported << QStringLiteral("User location is not supported");
        QTest::newRow("free tier limit 0") << Fault::FreeTierZero << QStringLiteral("needs a paid plan");
        QTest::newRow("daily quota") << Fault::DailyQuota << QStringLiteral("daily request quota");
        QTest::newRow("credits") << Fault::CreditsDepleted << QStringLiteral("prepaid credit");
    }
    void fatalClassesStopTheRun()
    {
        QFETCH(Fault, fault);
        QFETCH(QString, says);
        makePhotos(60);
        m_server->queueFaults({fault, fault, fault});
        TriageOptions options;
        options.requestsInFlight = 1;
        const TriageRun run = triage(options);
        QVERIFY(run.stopped);
        QVERIFY2(run.stopped->message.contains(says), qPrintable(run.stopped->message));
        QCOMPARE(m_server->stats().generateCalls, 1); // not batch after batch
        for (const TriageItemResult &r : run.items)
            QCOMPARE(r.verdict, VerdictKind::Error);
    }

    void quotaWaitIsShownInProgress()
    {
        fakes::FakeGeminiOptions options;
        options.retryDelay = QStringLiteral("1.2s");
        restartServer(options);
        makePhotos(3);
        m_server->queueFaults({Fault::RateLimited});
        TriageOptions triageOptions;
        std::mutex mutex;
        QList<int> waits;
        triageOptions.progress = [&](const TriageProgress &p) {
            std::lock_guard l(mutex);
            if (waits.isEmpty() || waits.last() != p.quotaWaitSeconds)
                waits << p.quotaWaitSeconds;
        };
        const TriageRun run = triage(triageOptions);
        verifyAllJudgedByName(run);
        QVERIFY2(waits.size() >= 3 && waits[1] >= 2 && waits.last() == 0,
                 qPrintable(QStringLiteral("waits seen: %1").arg(QString::number(waits.size()))));
    }

    // The budget is checked before each request against what was metered plus that request's
    // worst case, so answers longer than estimated never carry a run past it.
    void budgetHoldsWhenAnswersRunLong_data()
    {
        QTest::addColumn<int>("answerTokensPerItem");
        QTest::addColumn<double>("budget");
        QTest::addColumn<int>("judged");
        QTest::newRow("as estimated, cap after one batch") << 40 << 20.0 << 20;
        QTest::newRow("long answers, cap after one batch") << 110 << 20.0 << 20;
        QTest::newRow("long answers, room for all") << 110 << 30.0 << 45;
    }
    void budgetHoldsWhenAnswersRunLong()
    {
        QFETCH(int, answerTokensPerItem);
        QFETCH(double, budget);
        QFETCH(int, judged);
        fakes::FakeGeminiOptions options;
        options.answerTokensPerItem = answerTokensPerItem;
        restartServer(options);
        makePhotos(45);
        TriageOptions triageOptions;
        triageOptions.requestsInFlight = 1;
        triageOptions.price = ModelPrice::user(1000.0, 1000.0);
        triageOptions.budgetUsd = budget;
        const TriageRun run = triage(triageOptions);
        if (answerTokensPerItem > TokenRates().outputTokensPerItem) // the answers did run longer than estimated
            QVERIFY(run.usage.outputTokens > run.estimate.outputTokens * judged / 45);
        const double spent = costOf(run.usage.promptTokens, run.usage.outputTokens, *triageOptions.price);
        QVERIFY2(spent <= budget, qPrintable(QString::number(spent)));
        int keeps = 0;
        for (const TriageItemResult &r : run.items)
            keeps += r.verdict == VerdictKind::Keep ? 1 : 0;
        QCOMPARE(keeps, judged);
        QCOMPARE(bool(run.stopped), judged < 45);
    }

    // A run cancelled while an upload's answer is on its way: the server has the file, the client
    // never saw its name. The name was chosen before the upload, so the cleanup deletes it.
    void cancelDuringUploadLeavesNothing()
    {
        makePhotos(2);
        makeVideos(1);
        m_server->setUploadLatencyMs(3000);
        CancellationToken token;
        std::unique_ptr<QThread> canceller(QThread::create([this, token] {
            QElapsedTimer waited;
            waited.start();
            while (m_server->stats().uploadsFinished == 0 && waited.elapsed() < 5000)
                QThread::msleep(10);
            token.cancel();
        }));
        canceller->start();
        const TriageRun run = triageWithSmallVideos(config(), {}, token);
        canceller->wait();
        QVERIFY(run.stopped);
        QCOMPARE(m_server->stats().uploadsFinished, 1);
        QCOMPARE(m_server->stats().liveFiles, 0); // at once, not eventually
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
