// The real `bootstrap` binary against a stand-in Runtime API, s3rver and the fake Gemini: what a
// deployed function does, end to end, without AWS.
#include "FakeGeminiServer.h"
#include "FakeRuntimeApi.h"
#include "FakeSsmServer.h"
#include "LambdaFunctionEnvironment.h"
#include "S3rver.h"

#include "aws/AwsConfig.h"
#include "aws/S3Client.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

using namespace mt;
using fakes::FakeRuntimeApi;
using fakes::RuntimePost;
using nlohmann::json;

namespace {

// A JSON value as text for QCOMPARE: strings as they are, anything else in JSON notation.
QString text(const nlohmann::json &value)
{
    return QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump());
}

const QString kBucket = QStringLiteral("media");
const QString kSamples = QStringLiteral(MT_SOURCE_DIR "/resources/samples/");
constexpr int kResultTimeoutMs = 60000;

json parse(const QByteArray &bytes)
{
    json doc = json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    return doc;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One bootstrap process with its environment; logs go to files (never a full pipe).
class Bootstrap {
public:
    explicit Bootstrap(QProcessEnvironment env) : m_env(std::move(env)) {}
    ~Bootstrap()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool start(const QStringList &args = {})
    {
        m_process.setProcessEnvironment(m_env);
        m_process.setStandardOutputFile(m_logs.filePath(QStringLiteral("stdout")));
        m_process.setStandardErrorFile(m_logs.filePath(QStringLiteral("stderr")));
        m_process.start(QStringLiteral(MT_BOOTSTRAP_PATH), args);
        return m_process.waitForStarted(10000);
    }
    // -1 when it is still running after the timeout.
    int waitForExit(int timeoutMs)
    {
        if (!m_process.waitForFinished(timeoutMs))
            return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    bool running() const { return m_process.state() == QProcess::Running; }
    QByteArray out() const { return readFile(m_logs.filePath(QStringLiteral("stdout"))); }
    QByteArray err() const { return readFile(m_logs.filePath(QStringLiteral("stderr"))); }

private:
    QProcessEnvironment m_env;
    QProcess m_process;
    QTemporaryDir m_logs;
};

} // namespace

class TestLambdaBootstrap : public QObject {
    Q_OBJECT

    test::S3rver m_s3rver;
    std::unique_ptr<fakes::FakeGeminiServer> m_gemini;
    std::unique_ptr<aws::S3Client> m_s3;
    std::unique_ptr<FakeRuntimeApi> m_runtime;
    std::unique_ptr<QTemporaryDir> m_tmp;  // the function's TMPDIR
    std::unique_ptr<QTemporaryDir> m_home; // no ~/.aws of the person running the tests

    QProcessEnvironment environment(bool withKey) const
    {
        QProcessEnvironment env = test::lambdaFunctionEnvironment(
            m_home->path(), m_s3rver.endpoint(), kBucket,
            {m_gemini->baseUrl(), m_gemini->options().models.first(), withKey ? m_gemini->options().apiKey : QString()});
        env.insert(QStringLiteral("TMPDIR"), m_tmp->path());
        env.insert(QStringLiteral("AWS_SESSION_TOKEN"), QStringLiteral("session-token-do-not-log"));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_LAMBDA"), m_runtime->invokeEndpoint().toString());
        env.insert(QStringLiteral("AWS_LAMBDA_RUNTIME_API"), QString::fromLatin1(m_runtime->hostPort()));
        return env;
    }

    void upload(const QString &key, const QString &sample)
    {
        auto put = m_s3->putObjectFromFile(kBucket, key, kSamples + sample, "application/octet-stream");
        QVERIFY2(put.ok(), put.ok() ? "" : qPrintable(put.error().message));
    }

    json getJson(const QString &key)
    {
        auto got = m_s3->getObject(kBucket, key);
        if (!got)
            return json();
        return parse(*got);
    }

    // Runs one event through the Runtime API and returns what the runtime posted for it.
    RuntimePost invoke(const json &event, qint64 deadlineMs = 0)
    {
        const QByteArray id = m_runtime->queueEvent(QByteArray::fromStdString(event.dump()), deadlineMs);
        auto post = m_runtime->waitForResult(id, kResultTimeoutMs);
        if (!post)
            return RuntimePost{RuntimePost::Kind::InitError, id, "no answer in time", {}, 0};
        return *post;
    }

    json responseOf(const RuntimePost &post) { return post.kind == RuntimePost::Kind::Response ? parse(post.body) : json(); }

    // The HTTP API request event (payload 2.0) and the decoded answer.
    std::pair<int, json> http(const QString &method, const QString &path, const QString &query = {},
                              const json &body = json())
    {
        json event = {{"version", "2.0"},
                      {"routeKey", "$default"},
                      {"rawPath", path.toStdString()},
                      {"rawQueryString", query.toStdString()},
                      {"headers", {{"content-type", "application/json"}}},
                      {"requestContext", {{"http", {{"method", method.toStdString()}, {"path", path.toStdString()}}}}},
                      {"isBase64Encoded", false}};
        if (!body.is_null()) {
            // Base64, as API Gateway sends some bodies.
            event["body"] = QByteArray::fromStdString(body.dump()).toBase64().toStdString();
            event["isBase64Encoded"] = true;
        }
        const RuntimePost post = invoke(event);
        const json response = responseOf(post);
        if (!response.is_object() || !response.contains("statusCode") || !response["body"].is_string())
            return {0, json()};
        return {response["statusCode"].get<int>(), parse(QByteArray::fromStdString(response["body"].get<std::string>()))};
    }

    void verifyTmpEmpty()
    {
        QStringList left;
        QDirIterator it(m_tmp->path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            left << it.next();
        QVERIFY2(left.isEmpty(), qPrintable(QStringLiteral("left in TMPDIR: ") + left.join(u' ')));
    }

private slots:
    void initTestCase()
    {
        if (!test::S3rver::installed())
            QSKIP(qPrintable(test::S3rver::notInstalledReason()));
        QVERIFY2(m_s3rver.start({kBucket}), qPrintable(m_s3rver.errorString()));
        fakes::FakeGeminiOptions options;
        options.slowMs = 30000;
        m_gemini = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_gemini->start());
        m_s3 = std::make_unique<aws::S3Client>(aws::AwsConfig::make(
            "us-east-1", aws::AwsCredentials{test::S3rver::accessKeyId(), test::S3rver::secretAccessKey(), {}},
            {{"s3", m_s3rver.endpoint()}}));
        m_home = std::make_unique<QTemporaryDir>();
    }

    void init()
    {
        m_runtime = std::make_unique<FakeRuntimeApi>();
        QVERIFY(m_runtime->start());
        m_tmp = std::make_unique<QTemporaryDir>();
        m_gemini->resetCounters();
    }

    void cleanup()
    {
        m_runtime.reset();
    }

    void triageWithGemini()
    {
        upload(QStringLiteral("trip/IMG_0001.jpg"), QStringLiteral("IMG_0001.jpg"));
        upload(QStringLiteral("trip/dark IMG_0002.jpg"), QStringLiteral("IMG_0002.jpg"));
        upload(QStringLiteral("trip/day 2/IMG_0005.heic"), QStringLiteral("IMG_0005.heic"));
        upload(QStringLiteral("trip/IMG_0006.mov"), QStringLiteral("IMG_0006.mov"));
        upload(QStringLiteral("trip/IMG_0007.mp4"), QStringLiteral("IMG_0007.mp4")); // 1.2 s: discarded locally
        upload(QStringLiteral("trip/_triage/thumbs/old.jpg.jpg"), QStringLiteral("IMG_0004.jpg")); // our output
        QVERIFY(m_s3->putObject(kBucket, QStringLiteral("trip/notes.txt"), "not media", "text/plain").ok());
        Bootstrap bootstrap(environment(true));
        QVERIFY(bootstrap.start());

        const RuntimePost post = invoke({{"action", "triage"}, {"bucket", "media"}, {"prefix", "trip/"}});
        QVERIFY2(post.kind == RuntimePost::Kind::Response, post.body.constData());
        const json summary = parse(post.body);
        QCOMPARE(text(summary["partial"]), QStringLiteral("false"));
        QCOMPARE(text(summary["counts"]["items"]), QStringLiteral("5"));
        QCOMPARE(text(summary["counts"]["errors"]), QStringLiteral("0"));
        QCOMPARE(text(summary["results"]), QStringLiteral("trip/_triage/results.json"));
        verifyTmpEmpty();

        const json results = getJson(QStringLiteral("trip/_triage/results.json"));
        QVERIFY(results.is_object());
        QCOMPARE(text(results["engine"]), QStringLiteral("gemini"));
        QCOMPARE(text(results["schema_version"]), QStringLiteral("2"));
        QCOMPARE(text(results["request_id"]), QString::fromLatin1(post.requestId));
        QCOMPARE(text(results["bucket"]), QStringLiteral("media"));
        QCOMPARE(text(results["prefix"]), QStringLiteral("trip/"));
        QVERIFY2(results["counts"] == summary["counts"], results["counts"].dump().c_str());
        QCOMPARE(results["items"].size(), size_t(5));
        QVERIFY(results["usage"]["requests"].get<int>() >= 1);
        int fromGemini = 0;
        for (const json &item : results["items"]) {
            const QString key = QString::fromStdString(item["key"].get<std::string>());
            QVERIFY2(item["error"].is_null() && item["error_code"].is_null(), qPrintable(key));
            const auto head = m_s3->headObject(kBucket, key);
            QVERIFY(head.ok());
            QCOMPARE(text(item["size_bytes"]), QString::number(head->size));
            QCOMPARE(text(item["etag"]).toLatin1(), aws::unquotedEtag(head->etag));
            if (key.endsWith(QLatin1String("IMG_0007.mp4"))) {
                QCOMPARE(text(item["source"]), QStringLiteral("prefilter"));
                QCOMPARE(text(item["verdict"]), QStringLiteral("discard"));
            } else {
                ++fromGemini;
                QCOMPARE(text(item["source"]), QStringLiteral("gemini"));
                // What the fake answered: names with "dark" are discarded with its reason.
                const bool dark = key.contains(QLatin1String("dark"));
                QCOMPARE(text(item["verdict"]), QString::fromLatin1(dark ? "discard" : "keep"));
                QCOMPARE(text(item["reason"]), QString::fromLatin1(dark ? "fake: too dark to recover" : "fake: clear subject"));
            }
            const QString thumbKey = QString::fromStdString(item["thumbnail"].get<std::string>());
            QCOMPARE(thumbKey, QStringLiteral("trip/_triage/thumbs/") + key.mid(5) + QStringLiteral(".jpg"));
            auto thumb = m_s3->getObject(kBucket, thumbKey);
            QVERIFY2(thumb.ok(), qPrintable(thumbKey));
            const QImage image = QImage::fromData(*thumb, "JPEG");
            QVERIFY2(!image.isNull() && std::max(image.width(), image.height()) <= 512, qPrintable(thumbKey));
        }
        QCOMPARE(fromGemini, 4);
        QVERIFY(m_gemini->violations().isEmpty());
        QCOMPARE(text(getJson(QStringLiteral("trip/_triage/job.json"))["state"]), QStringLiteral("done"));

        // Logs: JSON lines with the request id, and no secret anywhere.
        const QByteArray logs = bootstrap.out() + bootstrap.err();
        QVERIFY(!logs.contains(m_gemini->options().apiKey.toUtf8()));
        QVERIFY(!logs.contains(test::S3rver::secretAccessKey() + "\""));
        QVERIFY(!logs.contains("session-token-do-not-log"));
        int lines = 0;
        for (const QByteArray &line : bootstrap.out().split('\n')) {
            if (line.isEmpty())
                continue;
            const json entry = parse(line);
            QVERIFY2(entry.is_object() && entry.contains("time") && entry.contains("level") && entry.contains("stage"),
                     line.constData());
            ++lines;
        }
        QVERIFY(lines >= 5);
        QVERIFY(bootstrap.out().contains(QByteArray("\"requestId\":\"") + post.requestId + '"'));
    }

    void triageWithoutKeyIsLocal()
    {
        upload(QStringLiteral("offline/IMG_0001.jpg"), QStringLiteral("IMG_0001.jpg"));
        upload(QStringLiteral("offline/IMG_0003.jpg"), QStringLiteral("IMG_0003.jpg"));
        upload(QStringLiteral("offline/IMG_0005.heic"), QStringLiteral("IMG_0005.heic"));
        // Results someone edited by hand: wrong member types are ignored, not trusted, not fatal.
        QVERIFY(m_s3->putObject(kBucket, QStringLiteral("offline/_triage/results.json"),
                                R"({"engine":"local","model":null,"items":[{"key":"offline/IMG_0001.jpg",)"
                                R"("verdict":"keep","size":"huge","etag":5},7,{"key":3}]})",
                                "application/json").ok());
        Bootstrap bootstrap(environment(false));
        QVERIFY(bootstrap.start());
        const RuntimePost post = invoke({{"action", "triage"}, {"bucket", "media"}, {"prefix", "offline/"}});
        QVERIFY2(post.kind == RuntimePost::Kind::Response, post.body.constData());
        QCOMPARE(text(parse(post.body)["engine"]), QStringLiteral("local"));
        QCOMPARE(text(parse(post.body)["counts"]["reused"]), QStringLiteral("0"));
        const json results = getJson(QStringLiteral("offline/_triage/results.json"));
        QCOMPARE(text(results["engine"]), QStringLiteral("local"));
        QCOMPARE(results["items"].size(), size_t(3));
        for (const json &item : results["items"]) {
            QCOMPARE(text(item["source"]), QStringLiteral("local"));
            QVERIFY(item["verdict"] == "keep" || item["verdict"] == "discard");
            QVERIFY(item["reason"].is_string());
        }
        QCOMPARE(m_gemini->stats().generateCalls, 0);
        verifyTmpEmpty();
    }

    void s3EventPreparesOneObject()
    {
        upload(QStringLiteral("uploads/day 1/clip+1.mov"), QStringLiteral("IMG_0006.mov"));
        auto head = m_s3->headObject(kBucket, QStringLiteral("uploads/day 1/clip+1.mov"));
        QVERIFY(head.ok());
        QByteArray etag = head->etag;
        etag.replace('"', QByteArray());
        const json record = {{"eventVersion", "2.1"},
                             {"eventSource", "aws:s3"},
                             {"eventName", "ObjectCreated:Put"},
                             {"s3", {{"bucket", {{"name", "media"}}},
                                     {"object", {{"key", "uploads/day+1/clip%2B1.mov"},
                                                 {"size", std::to_string(head->size)}, // the string form
                                                 {"eTag", etag.toStdString()}}}}}};
        Bootstrap bootstrap(environment(true));
        QVERIFY(bootstrap.start());

        // The notification S3 sends when it is configured: acknowledged, nothing else.
        json testEvent = {{"Service", "Amazon S3"}, {"Event", "s3:TestEvent"}, {"Bucket", "media"}};
        QCOMPARE(text(responseOf(invoke(testEvent))["ignored"]), QStringLiteral("s3:TestEvent"));

        RuntimePost post = invoke({{"Records", {record}}});
        QVERIFY2(post.kind == RuntimePost::Kind::Response, post.body.constData());
        QCOMPARE(text(parse(post.body)["records"][0]["outcome"]), QStringLiteral("prepared"));
        const QString folder = QStringLiteral("uploads/day 1/_triage/prepared/clip+1.mov/");
        const json manifest = getJson(folder + QStringLiteral("prepared.json"));
        QCOMPARE(QByteArray::fromStdString(manifest["etag"].get<std::string>()), etag);
        QVERIFY(manifest["error"].is_null());
        QCOMPARE(text(getJson(folder + QStringLiteral("metadata.json"))["kind"]), QStringLiteral("video"));
        auto thumb = m_s3->getObject(kBucket, folder + QStringLiteral("thumb.jpg"));
        QVERIFY(thumb.ok() && !QImage::fromData(*thumb).isNull());
        auto webm = m_s3->getObject(kBucket, folder + QStringLiteral("video.webm"));
        QVERIFY(webm.ok() && webm->startsWith("\x1A\x45\xDF\xA3"));
        verifyTmpEmpty();

        // Redelivered: nothing is done again. Our own output does not trigger work.
        QCOMPARE(text(responseOf(invoke({{"Records", {record}}}))["records"][0]["outcome"]), QStringLiteral("unchanged"));
        json own = record;
        own["s3"]["object"]["key"] = "uploads/day+1/_triage/prepared/clip%2B1.mov/thumb.jpg";
        QCOMPARE(text(responseOf(invoke({{"Records", {own}}}))["records"][0]["outcome"]), QStringLiteral("skipped"));

        // A later triage sends the prepared WebM instead of compressing again.
        m_gemini->resetCounters();
        post = invoke({{"action", "triage"}, {"bucket", "media"}, {"prefix", "uploads/"}});
        QVERIFY2(post.kind == RuntimePost::Kind::Response, post.body.constData());
        QCOMPARE(text(parse(post.body)["counts"]["items"]), QStringLiteral("1"));
        QVERIFY(m_gemini->receivedMedia().contains(*webm));
        verifyTmpEmpty();
    }

    void hostileKeysAreRefused()
    {
        Bootstrap bootstrap(environment(false));
        QVERIFY(bootstrap.start());
        auto rec = [](const std::string &key) {
            return json{{"eventSource", "aws:s3"},
                        {"eventName", "ObjectCreated:Put"},
                        {"s3", {{"bucket", {{"name", "media"}}}, {"object", {{"key", key}, {"size", 10}, {"eTag", "x"}}}}}};
        };
        const std::string huge = std::string(1100, 'a') + ".jpg";
        const RuntimePost post = invoke(
            {{"Records", {rec("..%2F..%2Fescape.jpg"), rec("%2Fetc%2Fpasswd.jpg"), rec("a%0Ab.jpg"), rec(huge)}}});
        QVERIFY2(post.kind == RuntimePost::Kind::Response, post.body.constData());
        const json records = parse(post.body)["records"];
        QCOMPARE(records.size(), size_t(4));
        for (const json &r : records) {
            QCOMPARE(text(r["outcome"]), QStringLiteral("failed"));
            QVERIFY(r["detail"].get<std::string>().find("refused key") != std::string::npos);
        }
        verifyTmpEmpty();
        QVERIFY(!QFileInfo::exists(QFileInfo(m_tmp->path()).absolutePath() + QStringLiteral("/escape.jpg")));

        // The same through a listing: a key s3rver stores with a control character.
        upload(QStringLiteral("hostile/ok.jpg"), QStringLiteral("IMG_0001.jpg"));
        upload(QStringLiteral("hostile/bad\tname.jpg"), QStringLiteral("IMG_0001.jpg"));
        const RuntimePost triage = invoke({{"action", "triage"}, {"bucket", "media"}, {"prefix", "hostile/"}});
        QVERIFY2(triage.kind == RuntimePost::Kind::Response, triage.body.constData());
        const json results = getJson(QStringLiteral("hostile/_triage/results.json"));
        QCOMPARE(results["items"].size(), size_t(2));
        for (const json &item : results["items"]) {
            if (item["key"] == "hostile/ok.jpg")
                QVERIFY(item["error"].is_null());
            else
                QVERIFY(item["error"].get<std::string>().find("refused key") != std::string::npos);
        }
        verifyTmpEmpty();
    }

    void deadlineYieldsPartialResult()
    {
        const QStringList names{QStringLiteral("IMG_0001.jpg"), QStringLiteral("IMG_0002.jpg"), QStringLiteral("IMG_0003.jpg"),
                                QStringLiteral("IMG_0004.jpg")};
        for (const QString &n : names)
            upload(QStringLiteral("late/") + n, n);
        m_gemini->setFileFault(QStringLiteral("IMG_0003.jpg"), fakes::Fault::Slow); // answers after 30 s
        QProcessEnvironment env = environment(true);
        env.insert(QStringLiteral("MT_LAMBDA_BATCH_ITEMS"), QStringLiteral("1"));
        Bootstrap bootstrap(env);
        QVERIFY(bootstrap.start());

        const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + 12000; // stops at 9.6 s
        const RuntimePost post = invoke({{"action", "triage"}, {"bucket", "media"}, {"prefix", "late/"}}, deadline);
        m_gemini->setFileFault(QStringLiteral("IMG_0003.jpg"), fakes::Fault::None);
        QVERIFY2(post.kind == RuntimePost::Kind::Response, post.body.constData());
        QVERIFY2(post.atMs < deadline, "answered after the deadline");
        const json summary = parse(post.body);
        QCOMPARE(text(summary["partial"]), QStringLiteral("true"));
        QCOMPARE(text(summary["counts"]["unfinished"]), QStringLiteral("1"));
        json results = getJson(QStringLiteral("late/_triage/results.json"));
        QCOMPARE(text(results["partial"]), QStringLiteral("true"));
        QCOMPARE(text(results["stopped"]["code"]), QStringLiteral("timeout"));
        QVERIFY(results["note"].is_string());
        for (const json &item : results["items"]) {
            if (item["key"] == "late/IMG_0003.jpg") {
                QCOMPARE(text(item["verdict"]), QStringLiteral("error"));
                QCOMPARE(text(item["error"]), QStringLiteral("not judged before the deadline"));
                QCOMPARE(text(item["error_code"]), QStringLiteral("timeout"));
                QVERIFY(item["thumbnail"].is_null());
            } else {
                QCOMPARE(text(item["verdict"]), QStringLiteral("keep"));
            }
        }
        QCOMPARE(text(getJson(QStringLiteral("late/_triage/job.json"))["state"]), QStringLiteral("partial"));
        verifyTmpEmpty();

        // The next invoke pays only for what is missing.
        m_gemini->resetCounters();
        const RuntimePost again = invoke({{"action", "triage"}, {"bucket", "media"}, {"prefix", "late/"}});
        QVERIFY2(again.kind == RuntimePost::Kind::Response, again.body.constData());
        QCOMPARE(text(parse(again.body)["partial"]), QStringLiteral("false"));
        QCOMPARE(text(parse(again.body)["counts"]["reused"]), QStringLiteral("3"));
        QCOMPARE(text(getJson(QStringLiteral("late/_triage/results.json"))["counts"]["unfinished"]), QStringLiteral("0"));
        QCOMPARE(m_gemini->judgedFiles(), QStringList{QStringLiteral("IMG_0003.jpg")});
        results = getJson(QStringLiteral("late/_triage/results.json"));
        for (const json &item : results["items"])
            QCOMPARE(text(item["verdict"]), QStringLiteral("keep"));
        verifyTmpEmpty();
    }

    void badEventsDoNotStopTheLoop()
    {
        Bootstrap bootstrap(environment(false));
        QVERIFY(bootstrap.start());
        const QByteArray malformed = m_runtime->queueEvent("{not json");
        auto post = m_runtime->waitForResult(malformed, kResultTimeoutMs);
        QVERIFY(post && post->kind == RuntimePost::Kind::Error);
        QCOMPARE(post->errorType(), QByteArray("Function.MalformedEvent"));
        QCOMPARE(text(parse(post->body)["errorType"]), QStringLiteral("Function.MalformedEvent"));
        QVERIFY(parse(post->body)["stackTrace"].is_array());

        RuntimePost unknown = invoke({{"hello", "world"}});
        QCOMPARE(unknown.kind, RuntimePost::Kind::Error);
        QCOMPARE(unknown.errorType(), QByteArray("Function.UnknownEvent"));
        RuntimePost noBucket = invoke({{"action", "triage"}, {"prefix", "x/"}});
        QCOMPARE(noBucket.kind, RuntimePost::Kind::Error);
        QVERIFY(noBucket.errorType().startsWith("Function."));
        RuntimePost missingBucket = invoke({{"action", "triage"}, {"bucket", "no-such-bucket"}, {"prefix", "x/"}});
        QCOMPARE(missingBucket.kind, RuntimePost::Kind::Error);

        // Still serving.
        QCOMPARE(text(responseOf(invoke({{"Event", "s3:TestEvent"}}))["ignored"]), QStringLiteral("s3:TestEvent"));
        QVERIFY(bootstrap.running());
        verifyTmpEmpty();
    }

    void containerErrorEndsTheProcess()
    {
        Bootstrap bootstrap(environment(false));
        QVERIFY(bootstrap.start());
        m_runtime->failPosts(1);
        m_runtime->queueEvent(R"({"Event":"s3:TestEvent"})");
        QCOMPARE(bootstrap.waitForExit(20000), 1);
    }

    void keyFromSsmIsFetchedOnce()
    {
        fakes::FakeSsmServer ssm;
        QVERIFY(ssm.start());
        ssm.setParameter(QStringLiteral("/mediatriage/gemini-key"), m_gemini->options().apiKey);
        ssm.setExpectedSessionToken("session-token-do-not-log");
        upload(QStringLiteral("ssm/IMG_0004.jpg"), QStringLiteral("IMG_0004.jpg"));
        QProcessEnvironment env = environment(false);
        env.insert(QStringLiteral("GEMINI_API_KEY_PARAM"), QStringLiteral("/mediatriage/gemini-key"));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_SSM"), ssm.endpoint().toString());
        Bootstrap bootstrap(env);
        QVERIFY(bootstrap.start());

        auto [status, body] = http(QStringLiteral("GET"), QStringLiteral("/health"));
        QCOMPARE(status, 200);
        QCOMPARE(text(body["engine"]), QStringLiteral("gemini"));
        for (int i = 0; i < 2; ++i) {
            const RuntimePost post = invoke({{"action", "triage"}, {"bucket", "media"}, {"prefix", "ssm/"}});
            QVERIFY2(post.kind == RuntimePost::Kind::Response, post.body.constData());
            QCOMPARE(text(parse(post.body)["engine"]), QStringLiteral("gemini"));
        }
        QCOMPARE(ssm.getParameterCalls(), 1);
        QVERIFY2(ssm.violations().isEmpty(), qPrintable(ssm.violations().join(u'\n')));
        QVERIFY(ssm.calls().first().withDecryption);
        QVERIFY(!(bootstrap.out() + bootstrap.err()).contains(m_gemini->options().apiKey.toUtf8()));
        verifyTmpEmpty();
    }

    void ssmFailureIsAnInitError()
    {
        fakes::FakeSsmServer ssm; // holds no parameter: GetParameter answers ParameterNotFound
        QVERIFY(ssm.start());
        QProcessEnvironment env = environment(false);
        env.insert(QStringLiteral("GEMINI_API_KEY_PARAM"), QStringLiteral("/mediatriage/gemini-key"));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_SSM"), ssm.endpoint().toString());
        Bootstrap bootstrap(env);
        QVERIFY(bootstrap.start());
        auto initError = m_runtime->waitForInitError(30000);
        QVERIFY(initError);
        QVERIFY2(initError->errorType().startsWith("Runtime."), initError->errorType().constData());
        QVERIFY(parse(initError->body)["errorMessage"].get<std::string>().find("/mediatriage/gemini-key") != std::string::npos);
        const int code = bootstrap.waitForExit(20000);
        QVERIFY2(code > 0, qPrintable(QString::number(code)));
        QCOMPARE(m_runtime->nextCalls(), 0);
        QCOMPARE(ssm.getParameterCalls(), 1);
    }

    void httpRoutes()
    {
        upload(QStringLiteral("web/IMG_0001.jpg"), QStringLiteral("IMG_0001.jpg"));
        upload(QStringLiteral("web/dark.jpg"), QStringLiteral("IMG_0002.jpg"));
        upload(QStringLiteral("web/blurry.jpg"), QStringLiteral("IMG_0003.jpg"));
        upload(QStringLiteral("elsewhere/dark.jpg"), QStringLiteral("IMG_0002.jpg"));
        m_runtime->setInvokeFeedsQueue(true);
        Bootstrap bootstrap(environment(true));
        QVERIFY(bootstrap.start());

        auto [status, body] = http(QStringLiteral("GET"), QStringLiteral("/health"));
        QCOMPARE(status, 200);
        QCOMPARE(text(body["status"]), QStringLiteral("ok"));
        QCOMPARE(text(body["engine"]), QStringLiteral("gemini"));

        std::tie(status, body) = http(QStringLiteral("GET"), QStringLiteral("/triage/results"), QStringLiteral("prefix=web%2F"));
        QCOMPARE(status, 404);
        QVERIFY(body["error"].is_string());

        std::tie(status, body) = http(QStringLiteral("POST"), QStringLiteral("/triage"), {}, json{{"prefix", "web/"}});
        QCOMPARE(status, 202);
        QCOMPARE(text(body["state"]), QStringLiteral("queued"));
        QCOMPARE(m_runtime->invokes().size(), 1);
        const RuntimePost invoke = m_runtime->invokes().first();
        QCOMPARE(invoke.requestId, QByteArray("mediatriage"));
        QCOMPARE(invoke.headers.value("x-amz-invocation-type"), QByteArray("Event"));
        QVERIFY(invoke.headers.value("authorization").startsWith("AWS4-HMAC-SHA256"));
        QCOMPARE(text(parse(invoke.body)["bucket"]), QStringLiteral("media"));
        QCOMPARE(text(parse(invoke.body)["prefix"]), QStringLiteral("web/"));

        // The self-invocation was queued behind us; poll as a client would.
        json done;
        for (int i = 0; i < 60 && done.is_null(); ++i) {
            std::tie(status, body) = http(QStringLiteral("GET"), QStringLiteral("/triage/results"), QStringLiteral("prefix=web/"));
            QCOMPARE(status, 200);
            if (body["state"] == "done")
                done = body;
            else
                QTest::qWait(250);
        }
        QVERIFY2(!done.is_null(), body.dump().c_str());
        QCOMPARE(done["results"]["items"].size(), size_t(3));

        // Confirm: only stored discards go; a keep, a key of another prefix and junk are refused.
        std::tie(status, body) = http(QStringLiteral("POST"), QStringLiteral("/triage/confirm"), {},
                                      json{{"prefix", "web/"},
                                           {"keys", {"web/dark.jpg", "web/blurry.jpg", "web/IMG_0001.jpg",
                                                     "elsewhere/dark.jpg", "web/_triage/results.json"}}});
        QCOMPARE(status, 200);
        QCOMPARE(body["deleted"].size(), size_t(2));
        QCOMPARE(body["refused"].size(), size_t(3));
        QCOMPARE(m_s3->headObject(kBucket, QStringLiteral("web/dark.jpg")).error().code, Error::Code::NotFound);
        QVERIFY(m_s3->headObject(kBucket, QStringLiteral("web/IMG_0001.jpg")).ok());
        QVERIFY(m_s3->headObject(kBucket, QStringLiteral("elsewhere/dark.jpg")).ok());
        // The stored results now say what is gone.
        std::tie(status, body) = http(QStringLiteral("GET"), QStringLiteral("/triage/results"), QStringLiteral("prefix=web/"));
        QCOMPARE(status, 200);
        int markedDeleted = 0;
        for (const json &item : body["results"]["items"])
            markedDeleted += item.value("deleted", false) ? 1 : 0;
        QCOMPARE(markedDeleted, 2);

        // One job per prefix: a live one refuses a second POST; one left behind by a dead
        // invocation (older than Lambda's 15 minutes) does not.
        auto putJob = [&](const QString &prefix, const QString &state, const QDateTime &updated) {
            const json job{{"state", state.toStdString()}, {"prefix", prefix.toStdString()},
                           {"updatedAt", updated.toString(Qt::ISODateWithMs).toStdString()}};
            QVERIFY(m_s3->putObject(kBucket, prefix + QStringLiteral("_triage/job.json"), QByteArray::fromStdString(job.dump()),
                                    "application/json").ok());
        };
        putJob(QStringLiteral("busy/"), QStringLiteral("running"), QDateTime::currentDateTimeUtc().addSecs(-30));
        std::tie(status, body) = http(QStringLiteral("POST"), QStringLiteral("/triage"), {}, json{{"prefix", "busy/"}});
        QCOMPARE(status, 409);
        QVERIFY(text(body["error"]).contains(QStringLiteral("already running")));
        putJob(QStringLiteral("stale/"), QStringLiteral("running"), QDateTime::currentDateTimeUtc().addSecs(-3600));
        std::tie(status, body) = http(QStringLiteral("POST"), QStringLiteral("/triage"), {}, json{{"prefix", "stale/"}});
        QCOMPARE(status, 202);

        std::tie(status, body) = http(QStringLiteral("GET"), QStringLiteral("/upload-url"),
                                      QStringLiteral("prefix=web/&filename=IMG%209.jpg&contentType=image/jpeg"));
        QCOMPARE(status, 200);
        QCOMPARE(text(body["key"]), QStringLiteral("web/IMG 9.jpg"));
        QCOMPARE(text(body["method"]), QStringLiteral("PUT"));
        const QUrl url(QString::fromStdString(body["url"].get<std::string>()));
        const QUrlQuery query(url);
        QCOMPARE(query.queryItemValue(QStringLiteral("X-Amz-Expires")), QStringLiteral("900"));
        QVERIFY(query.hasQueryItem(QStringLiteral("X-Amz-Signature")));

        // Bad requests: 4xx with a JSON error.
        struct Bad {
            const char *method, *path, *query;
            json body;
            int status;
        };
        const Bad bad[] = {
            {"POST", "/triage", "", json{{"bucket", "other"}, {"prefix", "web/"}}, 403},
            {"POST", "/triage", "", json{{"prefix", 7}}, 400},
            {"POST", "/triage", "", json::array({1}), 400},
            {"POST", "/triage", "", json{{"prefix", "../up/"}}, 400},
            {"GET", "/triage/results", "", json(), 400},
            {"POST", "/triage/confirm", "", json{{"prefix", "web/"}}, 400},
            {"POST", "/triage/confirm", "", json{{"prefix", "nothing-here/"}, {"keys", json::array()}}, 404},
            {"GET", "/upload-url", "prefix=web/&filename=..%2Fx.jpg", json(), 400},
            {"GET", "/upload-url", "prefix=web/&filename=notes.txt", json(), 400},
            {"GET", "/upload-url", "prefix=web/", json(), 400},
            {"PUT", "/health", "", json(), 405},
            {"GET", "/nope", "", json(), 404},
        };
        for (const Bad &b : bad) {
            std::tie(status, body) = http(QString::fromLatin1(b.method), QString::fromLatin1(b.path), QString::fromLatin1(b.query), b.body);
            QVERIFY2(status == b.status, qPrintable(QStringLiteral("%1 %2 → %3 %4").arg(b.method, b.path).arg(status)
                                                         .arg(QString::fromStdString(body.dump()))));
            QVERIFY(body.is_object() && body["error"].is_string());
        }
        // A body that is not even JSON inside the HTTP event.
        json raw = {{"version", "2.0"},
                    {"rawPath", "/triage"},
                    {"requestContext", {{"http", {{"method", "POST"}, {"path", "/triage"}}}}},
                    {"body", "{{{"},
                    {"isBase64Encoded", false}};
        QCOMPARE(text(responseOf(this->invoke(raw))["statusCode"]), QStringLiteral("400"));
        verifyTmpEmpty();
    }

    void localEventRun()
    {
        upload(QStringLiteral("cli/IMG_0004.jpg"), QStringLiteral("IMG_0004.jpg"));
        QTemporaryDir dir;
        QFile event(dir.filePath(QStringLiteral("event.json")));
        QVERIFY(event.open(QIODevice::WriteOnly));
        event.write(R"({"action":"triage","bucket":"media","prefix":"cli/"})");
        event.close();
        QProcessEnvironment env = environment(false);
        env.remove(QStringLiteral("AWS_LAMBDA_RUNTIME_API"));
        Bootstrap bootstrap(env);
        QVERIFY(bootstrap.start({QStringLiteral("--event"), event.fileName(), QStringLiteral("--request-id"),
                                 QStringLiteral("local-1"), QStringLiteral("--timeout-s"), QStringLiteral("60")}));
        QCOMPARE(bootstrap.waitForExit(60000), 0);
        const json summary = parse(bootstrap.out().trimmed());
        QVERIFY2(summary.is_object(), bootstrap.out().constData());
        QCOMPARE(text(summary["counts"]["items"]), QStringLiteral("1"));
        QVERIFY(bootstrap.err().contains("\"requestId\":\"local-1\""));
        verifyTmpEmpty();
    }
};

QTEST_GUILESS_MAIN(TestLambdaBootstrap)
#include "tst_lambda_bootstrap.moc"
