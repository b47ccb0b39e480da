// The Gemini client against the in-process fake: protocol, retries, errors a person can act on,
// uploads, cancellation, and that the key never leaks into an error.
#include "FakeGeminiServer.h"
#include "gemini/GeminiClient.h"
#include "gemini/GeminiJson.h"

#include "MotionPhotoFiles.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QRegularExpression>
#include <QThread>

using namespace mt;
using namespace mt::gemini;
using mt::fakes::Fault;

namespace {

GenerateRequest twoItemRequest()
{
    GenerateRequest r;
    r.systemInstruction = QStringLiteral("Decide keep or discard.");
    r.parts.push_back(TextPart{QStringLiteral("1. beach.jpg\n   type: photo\n2. dark.jpg\n   type: photo")});
    r.parts.push_back(InlineMediaPart{QStringLiteral("image/jpeg"), mt::test::smallJpeg(85)});
    r.parts.push_back(InlineMediaPart{QStringLiteral("image/jpeg"), mt::test::smallJpeg(85)});
    r.responseSchema = nlohmann::json{{"type", "ARRAY"}, {"items", {{"type", "OBJECT"}}}};
    r.maxOutputTokens = 2048;
    return r;
}

QString writeWebm(const QTemporaryDir &dir, const QString &name)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QByteArray("\x1A\x45\xDF\xA3", 4) + QByteArray(4000, 'v'));
    return path;
}

Result<RemoteFile> uploadClip(GeminiClient &client, const QTemporaryDir &dir)
{
    return client.uploadFile(writeWebm(dir, QStringLiteral("clip.webm")), QStringLiteral("video/webm"), QStringLiteral("clip.webm"));
}

GenerateRequest videoRequest(const RemoteFile &file)
{
    GenerateRequest r = twoItemRequest();
    r.parts = {TextPart{QStringLiteral("1. clip.webm\n   type: video")}, FileMediaPart{file.mimeType, file.uri}};
    return r;
}

} // namespace

Q_DECLARE_METATYPE(mt::fakes::Fault)

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

    // Errors after which nothing more can succeed: said in their own words, asked once, fatal.
    void fatalErrorClasses_data()
    {
        QTest::addColumn<Fault>("fault");
        QTest::addColumn<QString>("says");
        QTest::newRow("free tier limit 0") << Fault::FreeTierZero << QStringLiteral("needs a paid plan");
        QTest::newRow("per-day quota") << Fault::DailyQuota << QStringLiteral("daily request quota");
        QTest::newRow("prepaid credits") << Fault::CreditsDepleted << QStringLiteral("prepaid credit is used up");
        QTest::newRow("location") << Fault::LocationUnsupported << QStringLiteral("User location is not supported");
        QTest::newRow("API disabled") << Fault::ApiDisabled << QStringLiteral("not allowed to use the Gemini API");
        QTest::newRow("key rejected") << Fault::KeyRejected << QStringLiteral("API key was rejected");
    }
    void fatalErrorClasses()
    {
        QFETCH(Fault, fault);
        QFETCH(QString, says);
        m_server->queueFaults({fault});
        GeminiClient client(config());
        auto r = client.generateContent(twoItemRequest());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(says), qPrintable(r.error().message));
        QVERIFY(GeminiClient::isFatal(r.error()));
        QVERIFY(client.goneFile().isEmpty());
        QCOMPARE(m_server->stats().generateCalls, 1);
        m_server->resetCounters(); // a rejected key is counted as a breach; here it was the point
    }

    // A 429 waits as long as the service asks, whether it says so in RetryInfo or only in words.
    void quotaWaitFollowsTheService_data()
    {
        QTest::addColumn<Fault>("fault");
        QTest::newRow("RetryInfo + QuotaFailure + Help") << Fault::RateLimited;
        QTest::newRow("\"Please retry in\" only") << Fault::QuotaInWords;
    }
    void quotaWaitFollowsTheService()
    {
        QFETCH(Fault, fault);
        fakes::FakeGeminiOptions options;
        options.retryDelay = QStringLiteral("0.4s");
        m_server = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_server->start());
        m_server->queueFaults({fault});
        GeminiClient client(config());
        QList<qint64> waits;
        client.setQuotaWaitObserver([&](std::chrono::milliseconds ms) { waits << ms.count(); });
        QElapsedTimer timer;
        timer.start();
        auto r = client.generateContent(twoItemRequest());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QVERIFY(timer.elapsed() >= 400);
        QCOMPARE(waits.size(), 2); // the wait, then its end
        QVERIFY(waits[0] >= 400);
        QCOMPARE(waits[1], 0);
        QCOMPARE(m_server->stats().generateCalls, 2);
    }

    void missingFileAnswers403AndIsGoneNotFatal()
    {
        GeminiClient client(config());
        auto file = client.getFile(QStringLiteral("files/mt-nosuchfile"));
        QVERIFY(!file.ok());
        QVERIFY(!GeminiClient::isFatal(file.error()));
        QCOMPARE(client.goneFile(), QStringLiteral("files/mt-nosuchfile"));
        QVERIFY(client.deleteFile(QStringLiteral("files/mt-nosuchfile")).ok()); // a delete of nothing is done
    }

    void uploadNamesItsFileFirst()
    {
        QTemporaryDir dir;
        GeminiClient client(config());
        auto ledger = std::make_shared<UploadLedger>();
        client.setUploadLedger(ledger);
        auto file = uploadClip(client, dir);
        QVERIFY2(file.ok(), file.ok() ? "" : qPrintable(file.error().message));
        QVERIFY(file->name.startsWith(QLatin1String("files/mt-")));
        QVERIFY(file->name.size() - 6 <= 40);
        QVERIFY(QRegularExpression(QStringLiteral("^files/[a-z0-9][a-z0-9-]*[a-z0-9]$")).match(file->name).hasMatch());
        QVERIFY(client.deleteFile(file->name).ok());
        QVERIFY(ledger->take().isEmpty());
        QCOMPARE(m_server->stats().liveFiles, 0);
    }

    void fileVanishingWhileProcessingIsUploadedAgain()
    {
        QTemporaryDir dir;
        m_server->makeVanish(QStringLiteral("clip.webm"), fakes::FakeGeminiServer::Vanish::WhilePolling);
        GeminiClient client(config());
        auto file = uploadClip(client, dir);
        QVERIFY2(file.ok(), file.ok() ? "" : qPrintable(file.error().message));
        QCOMPARE(file->state, QStringLiteral("ACTIVE"));
        QCOMPARE(m_server->stats().vanished, 1);
        QCOMPARE(m_server->stats().uploadsFinished, 2);
        QVERIFY(client.deleteFile(file->name).ok());
        QCOMPARE(m_server->stats().liveFiles, 0);
    }

    void generateNamesTheFileThatIsGone()
    {
        QTemporaryDir dir;
        m_server->makeVanish(QStringLiteral("clip.webm"), fakes::FakeGeminiServer::Vanish::BeforeUse);
        GeminiClient client(config());
        auto file = uploadClip(client, dir);
        QVERIFY(file.ok());
        auto r = client.generateContent(videoRequest(*file));
        QVERIFY(!r.ok());
        QVERIFY2(!GeminiClient::isFatal(r.error()), qPrintable(r.error().message));
        QCOMPARE(client.goneFile(), file->name);
        QCOMPARE(m_server->stats().generateCalls, 1); // a 403 is not retried as such
    }

    // Decided from the model id before the first request: no request is spent on a refusal.
    void thinkingByModelFamily_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("member");
        QTest::newRow("2.5 flash: budget") << QStringLiteral("gemini-2.5-flash") << QStringLiteral("thinkingBudget");
        QTest::newRow("2.5 flash-lite: budget") << QStringLiteral("gemini-2.5-flash-lite") << QStringLiteral("thinkingBudget");
        QTest::newRow("2.5 pro: budget") << QStringLiteral("gemini-2.5-pro") << QStringLiteral("thinkingBudget");
        QTest::newRow("3.5 flash-lite: level") << QStringLiteral("gemini-3.5-flash-lite") << QStringLiteral("thinkingLevel");
        QTest::newRow("3.8 flash: level") << QStringLiteral("gemini-3.8-flash") << QStringLiteral("thinkingLevel");
    }
    void thinkingByModelFamily()
    {
        QFETCH(QString, model);
        QFETCH(QString, member);
        fakes::FakeGeminiOptions options;
        options.models = {model};
        m_server = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_server->start());
        GeminiConfig c = config();
        c.model = model;
        const auto body = nlohmann::json::parse(wire::generateContentBody(twoItemRequest(), c, true).toStdString());
        const auto &thinking = body["generationConfig"]["thinkingConfig"];
        QCOMPARE(thinking.size(), size_t(1));
        QVERIFY(thinking.contains(member.toStdString()));
        GeminiClient client(c);
        auto r = client.generateContent(twoItemRequest());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(m_server->stats().generateCalls, 1);
    }

    void modelListFollowsEncodedPageTokens()
    {
        fakes::FakeGeminiOptions options;
        options.models = {QStringLiteral("gemini-a"), QStringLiteral("gemini-b"), QStringLiteral("gemini-c"),
                          QStringLiteral("gemini-d"), QStringLiteral("gemini-e")};
        options.modelsPageSize = 2;
        m_server = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_server->start());
        GeminiClient client(config());
        auto models = client.listGenerateModels();
        QVERIFY2(models.ok(), models.ok() ? "" : qPrintable(models.error().message));
        QCOMPARE(models->size(), size_t(5)); // the embedding model is left out
        QCOMPARE(models->back().id(), QStringLiteral("gemini-e"));
        QCOMPARE(m_server->stats().modelListPages, 3);
    }

    void durationsAndErrorBodiesParse()
    {
        using nlohmann::json;
        const auto body = [](const json &j) { return QByteArray::fromStdString(j.dump()); };
        const auto words = wire::parseErrorBody(body({{"error", {{"code", 429}, {"status", "RESOURCE_EXHAUSTED"},
                                                                 {"message", "Quota exceeded. Please retry in 20.04s."}}}}));
        QCOMPARE(words.retryDelay->count(), 20040);
        const json details = json::array(
            {{{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", "21s"}},
             {{"@type", "type.googleapis.com/google.rpc.Help"},
              {"links", json::array({{{"url", "https://ai.google.dev/gemini-api/docs/rate-limits"}}})}}});
        const auto info = wire::parseErrorBody(body({{"error", {{"code", 429}, {"message", "Please retry in 20.04s."},
                                                                {"details", details}}}}));
        QCOMPARE(info.retryDelay->count(), 21000); // RetryInfo wins over the words
        QCOMPARE(info.helpLinks, QStringList{QStringLiteral("https://ai.google.dev/gemini-api/docs/rate-limits")});
        QCOMPARE(wire::parseDuration(QStringLiteral("47s"))->count(), 47000);
        QCOMPARE(wire::parseDuration(QStringLiteral("0.5s"))->count(), 500);
        QVERIFY(!wire::parseDuration(QStringLiteral("soon")));
        const auto e = wire::parseErrorBody("<html>502</html>");
        QCOMPARE(e.code, 0);
    }
};

QTEST_GUILESS_MAIN(TestGeminiClient)
#include "tst_gemini_client.moc"
