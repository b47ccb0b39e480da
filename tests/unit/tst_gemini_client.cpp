// The Gemini client against the in-process fake: protocol, retries, errors a person can act on,
// uploads, cancellation, and that the key never leaks into an error.
#include "FakeGeminiServer.h"
#include "gemini/GeminiClient.h"
#include "gemini/GeminiJson.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace mt;
using namespace mt::gemini;
using mt::fakes::Fault;

namespace {

QByteArray smallJpeg()
{
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 85);
    return bytes;
}

GenerateRequest twoItemRequest()
{
    GenerateRequest r;
    r.systemInstruction = QStringLiteral("Decide keep or discard.");
    r.parts.push_back(TextPart{QStringLiteral("1. beach.jpg\n   type: photo\n2. dark.jpg\n   type: photo")});
    r.parts.push_back(InlineMediaPart{QStringLiteral("image/jpeg"), smallJpeg()});
    r.parts.push_back(InlineMediaPart{QStringLiteral("image/jpeg"), smallJpeg()});
    r.responseSchema = nlohmann::json{{"type", "ARRAY"}, {"items", {{"type", "OBJECT"}}}};
    r.maxOutputTokens = 2048;
    return r;
}

} // namespace

class TestGeminiClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<fakes::FakeGeminiServer> m_server;

    GeminiConfig config(const QString &key = {}) const
    {
        GeminiConfig c;
        c.baseUrl = m_server->baseUrl();
        c.apiKey = key.isEmpty() ? m_server->options().apiKey : key;
        c.model = QStringLiteral("gemini-test-flash");
        c.retry.initialDelay = std::chrono::milliseconds(10);
        c.retry.maxJitter = std::chrono::milliseconds(5);
        c.retry.maxAttempts = 4;
        c.requestTimeout = std::chrono::milliseconds(3000);
        c.filePollInterval = std::chrono::milliseconds(10);
        return c;
    }

private slots:
    void init()
    {
        fakes::FakeGeminiOptions options;
        options.slowMs = 1500;
        m_server = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        QVERIFY2(m_server->violations().isEmpty(), qPrintable(m_server->violations().join(u'\n')));
        m_server.reset();
    }

    void checkModelAcceptsKnownModel()
    {
        GeminiClient client(config());
        auto info = client.checkModel(QStringLiteral("gemini-test-flash"));
        QVERIFY2(info.ok(), info.ok() ? "" : qPrintable(info.error().message));
        QCOMPARE(info->id(), QStringLiteral("gemini-test-flash"));
        QVERIFY(info->supportsGenerateContent());
    }

    void listOffersOnlyGenerateModels()
    {
        GeminiClient client(config());
        auto models = client.listGenerateModels();
        QVERIFY(models.ok());
        QCOMPARE(models->size(), size_t(1));
        QCOMPARE(models->front().id(), QStringLiteral("gemini-test-flash"));
    }

    void rejectedKeySaysSoWithoutTheKey()
    {
        const QString wrongKey = QStringLiteral("AIzaWRONG-secret-value");
        GeminiClient client(config(wrongKey));
        auto info = client.checkModel(QStringLiteral("gemini-test-flash"));
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, Error::Code::PermissionDenied);
        QVERIFY(info.error().message.contains(QLatin1String("API key was rejected")));
        QVERIFY(!info.error().message.contains(wrongKey));
        QVERIFY(GeminiClient::isFatal(info.error()));
        QCOMPARE(m_server->stats().modelGets, 0); // rejected at the key check, never retried
    }

    void unknownModelIsNotRetried()
    {
        GeminiClient client(config());
        auto info = client.checkModel(QStringLiteral("gemini-9-nope"));
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, Error::Code::NotFound);
        QVERIFY(info.error().message.contains(QLatin1String("gemini-9-nope")));
        QCOMPARE(m_server->stats().modelGets, 1);
    }

    void generateReturnsTextUsageAndModelVersion()
    {
        GeminiClient client(config());
        auto r = client.generateContent(twoItemRequest());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QVERIFY(r->complete());
        QVERIFY(r->text.contains(QLatin1String("dark.jpg")));
        QVERIFY(!r->text.contains(QLatin1String("thinking..."))); // thought parts are left out
        QCOMPARE(r->modelVersion, QStringLiteral("gemini-test-flash-fake-001"));
        QCOMPARE(r->usage.promptTokens, 1000);
        QCOMPARE(r->usage.outputTokens(), 280);
        QCOMPARE(client.usageMeter()->totals().requests, 1);
    }

    void transientFailuresAreRetried_data()
    {
        QTest::addColumn<Fault>("fault");
        QTest::newRow("429 with RetryInfo") << Fault::RateLimited;
        QTest::newRow("503 with HTML body") << Fault::Unavailable;
        QTest::newRow("truncated body") << Fault::TruncatedBody;
    }
    void transientFailuresAreRetried()
    {
        QFETCH(Fault, fault);
        m_server->queueFaults({fault, fault});
        GeminiClient client(config());
        auto r = client.generateContent(twoItemRequest());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QVERIFY(r->complete());
        QCOMPARE(m_server->stats().generateCalls, 3);
        QCOMPARE(client.usageMeter()->totals().requests, 1);
    }

    void retryInfoDelayIsHonoured()
    {
        fakes::FakeGeminiOptions options;
        options.retryDelay = QStringLiteral("0.4s");
        m_server = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_server->start());
        m_server->queueFaults({Fault::RateLimited});
        GeminiClient client(config());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(client.generateContent(twoItemRequest()).ok());
        QVERIFY2(timer.elapsed() >= 400, qPrintable(QString::number(timer.elapsed())));
    }

    void persistentOverloadGivesUpWithAClearMessage()
    {
        m_server->queueFaults(QList<Fault>(10, Fault::Unavailable));
        GeminiClient client(config());
        auto r = client.generateContent(twoItemRequest());
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QLatin1String("unavailable")));
        QVERIFY(r.error().message.contains(QLatin1String("4 attempt")));
        QCOMPARE(m_server->stats().generateCalls, 4);
    }

    void dailyQuotaIsNotRetried()
    {
        m_server->queueFaults({Fault::DailyQuota});
        GeminiClient client(config());
        auto r = client.generateContent(twoItemRequest());
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QLatin1String("daily")));
        QVERIFY(GeminiClient::isFatal(r.error()));
        QCOMPARE(m_server->stats().generateCalls, 1);
    }

    void slowAnswerTimesOutPerRequest()
    {
        GeminiConfig c = config();
        c.requestTimeout = std::chrono::milliseconds(300);
        c.retry.maxAttempts = 2;
        m_server->queueFaults({Fault::Slow, Fault::Slow});
        GeminiClient client(c);
        QElapsedTimer timer;
        timer.start();
        auto r = client.generateContent(twoItemRequest());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Timeout);
        QVERIFY(timer.elapsed() < 1400);
    }

    void cancellationStopsARequestInFlight()
    {
        m_server->queueFaults({Fault::Slow});
        CancellationToken token;
        std::unique_ptr<QThread> canceller(QThread::create([token] { QThread::msleep(150); token.cancel(); }));
        canceller->start();
        GeminiClient client(config());
        QElapsedTimer timer;
        timer.start();
        auto r = client.generateContent(twoItemRequest(), token);
        canceller->wait();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        QVERIFY(timer.elapsed() < 1000);
    }

    void uploadWaitsForActiveAndDeletes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("clip.webm"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("\x1A\x45\xDF\xA3", 4) + QByteArray(300000, 'v'));
        f.close();
        m_server->queueUploadFailures({503});
        GeminiClient client(config());
        auto file = client.uploadFile(path, QStringLiteral("video/webm"), QStringLiteral("clip.webm"));
        QVERIFY2(file.ok(), file.ok() ? "" : qPrintable(file.error().message));
        QCOMPARE(file->state, QStringLiteral("ACTIVE"));
        QCOMPARE(file->sizeBytes, 300004);
        QCOMPARE(m_server->stats().liveFiles, 1);
        QVERIFY(client.deleteFile(file->name).ok());
        QCOMPARE(m_server->stats().liveFiles, 0);
        QVERIFY(client.deleteFile(file->name).ok()); // already gone is fine
    }

    void failedProcessingIsAnErrorAndLeavesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.webm"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("\x1A\x45\xDF\xA3", 4) + QByteArray(1000, 'x'));
        f.close();
        m_server->failProcessingOf(QStringLiteral("broken.webm"));
        GeminiClient client(config());
        auto file = client.uploadFile(path, QStringLiteral("video/webm"), QStringLiteral("broken.webm"));
        QVERIFY(!file.ok());
        QVERIFY(file.error().message.contains(QLatin1String("could not process")));
        QCOMPARE(m_server->stats().liveFiles, 0);
    }

    void refusedThinkingLevelIsDroppedOnce()
    {
        GeminiConfig c = config();
        c.thinkingLevel = QStringLiteral("MINIMAL"); // some models reject it
        GeminiClient client(c);
        auto r = client.generateContent(twoItemRequest());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(m_server->stats().generateCalls, 2);
        QVERIFY(client.generateContent(twoItemRequest()).ok()); // remembered: no second refusal
        QCOMPARE(m_server->stats().generateCalls, 3);
        m_server->resetCounters(); // the refusal was the point
    }

    void durationsAndErrorBodiesParse()
    {
        QCOMPARE(wire::parseDuration(QStringLiteral("47s"))->count(), 47000);
        QCOMPARE(wire::parseDuration(QStringLiteral("0.5s"))->count(), 500);
        QVERIFY(!wire::parseDuration(QStringLiteral("soon")));
        const auto e = wire::parseErrorBody("<html>502</html>");
        QCOMPARE(e.code, 0);
    }
};

QTEST_GUILESS_MAIN(TestGeminiClient)
#include "tst_gemini_client.moc"
