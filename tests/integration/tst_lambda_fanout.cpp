// The Lambda fan-out end to end on one machine: FakeLambdaService runs every invocation as a real
// `bootstrap` process (its own Runtime API fake, TMPDIR and deadline, Lambda's concurrency limit,
// async retries and on-failure queue) against s3rver and the fake Gemini.
#include "FakeGeminiServer.h"
#include "FakeLambdaService.h"
#include "LambdaFunctionEnvironment.h"
#include "S3rver.h"

#include "aws/AwsConfig.h"
#include "aws/S3Client.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>
#include <random>

using namespace mt;
using fakes::FakeLambdaService;
using fakes::LambdaRun;
using nlohmann::json;

namespace {

const QString kBucket = QStringLiteral("media");
constexpr int kObjects = 300;
constexpr int kIdleTimeoutMs = 240000;

// Object i of the test set. Objects 18–21, 38–41, ... are frames of one burst, some of which
// straddle the border of two shards; every other object is a scene of its own. Names with "dark" are
// discarded by the fake Gemini.
QString mediaName(int i) { return QStringLiteral("img_%1%2.jpg").arg(i, 4, 10, QLatin1Char('0')).arg(i % 7 == 3 ? "_dark" : ""); }
bool inBorderBurst(int i) { return i >= 18 && (i % 20 >= 18 || i % 20 <= 1); }

// A small picture of a scene (coloured blocks on a gradient); a burst's frames shift by a pixel.
QImage scene(int seed, int frame)
{
    std::mt19937 random(quint32(seed) * 7919u + 17u);
    std::uniform_int_distribution<int> byte(0, 255), x(0, 150), y(0, 110), size(20, 70);
    QImage image(160, 120, QImage::Format_RGB32);
    const QRgb top = qRgb(byte(random), byte(random), byte(random)), bottom = qRgb(byte(random), byte(random), byte(random));
    for (int row = 0; row < image.height(); ++row) {
        const double t = double(row) / image.height();
        const QRgb c = qRgb(int(qRed(top) * (1 - t) + qRed(bottom) * t), int(qGreen(top) * (1 - t) + qGreen(bottom) * t),
                            int(qBlue(top) * (1 - t) + qBlue(bottom) * t));
        for (int col = 0; col < image.width(); ++col)
            image.setPixel(col, row, c);
    }
    for (int block = 0; block < 5; ++block) {
        const QRgb c = qRgb(byte(random), byte(random), byte(random));
        const int bx = x(random) + frame, by = y(random), w = size(random), h = size(random);
        for (int row = by; row < std::min(by + h, image.height()); ++row)
            for (int col = bx; col < std::min(bx + w, image.width()); ++col)
                image.setPixel(col, row, c);
    }
    return image;
}

json parse(const QByteArray &bytes) { return json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false); }
// What an invocation answered, as an object (empty for a killed run).
json answerOf(const LambdaRun &run)
{
    json answer = parse(run.answer);
    return answer.is_object() ? answer : json::object();
}
QString text(const json &v) { return QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump()); }

// What must be the same whichever way a prefix was triaged: keys relative to the prefix.
json comparable(const json &item, const std::string &prefix)
{
    auto relative = [&prefix](const json &v) {
        return v.is_string() && v.get<std::string>().rfind(prefix, 0) == 0 ? json(v.get<std::string>().substr(prefix.size())) : v;
    };
    json out = json::object();
    for (const char *member : {"file", "kind", "size_bytes", "verdict", "reason", "source", "error", "error_code", "duplicate_group",
                               "best_in_group", "content_hash", "model_version"})
        out[member] = item.value(member, json());
    for (const char *member : {"key", "similar_to", "identical_to", "live_photo_of"})
        out[member] = relative(item.value(member, json()));
    out["thumbnail"] = relative(item.value("thumbnail", json()));
    return out;
}

} // namespace

class TestLambdaFanout : public QObject {
    Q_OBJECT

    test::S3rver m_s3rver;
    std::unique_ptr<fakes::FakeGeminiServer> m_gemini;
    std::unique_ptr<aws::S3Client> m_s3;
    QTemporaryDir m_images;
    QTemporaryDir m_home;

    QProcessEnvironment environment(int shardItems, int concurrency, int batchItems, const test::S3rver *store = nullptr) const
    {
        QProcessEnvironment env = test::lambdaFunctionEnvironment(
            m_home.path(), (store ? store : &m_s3rver)->endpoint(), kBucket,
            {m_gemini->baseUrl(), m_gemini->options().models.first(), m_gemini->options().apiKey});
        env.insert(QStringLiteral("MT_SHARD_ITEMS"), QString::number(shardItems));
        env.insert(QStringLiteral("MT_SHARD_CONCURRENCY"), QString::number(concurrency));
        env.insert(QStringLiteral("MT_LAMBDA_BATCH_ITEMS"), QString::number(batchItems));
        return env;
    }

    FakeLambdaService::Options service(int shardItems, int concurrency, int batchItems, const test::S3rver *store = nullptr) const
    {
        FakeLambdaService::Options o;
        o.bootstrap = QStringLiteral(MT_BOOTSTRAP_PATH);
        o.environment = environment(shardItems, concurrency, batchItems, store);
        o.concurrency = concurrency + 1; // reserved concurrency: the shards plus a coordinator or a continuation
        return o;
    }

    void uploadSet(const QString &prefix, int count)
    {
        for (int i = 0; i < count; ++i) {
            const QString key = prefix + mediaName(i);
            auto put = m_s3->putObjectFromFile(kBucket, key, m_images.filePath(mediaName(i)), "image/jpeg");
            QVERIFY2(put.ok(), qPrintable(key));
        }
    }

    json getJson(const QString &key)
    {
        auto got = m_s3->getObject(kBucket, key);
        const json doc = got ? parse(*got) : json();
        return doc.is_object() ? doc : json::object(); // a missing or unreadable file fails the checks, never throws
    }

    static QByteArray coordinatorEvent(const QString &prefix)
    {
        return QByteArray::fromStdString(json{{"action", "triage"}, {"bucket", "media"}, {"prefix", prefix.toStdString()}}.dump());
    }

    // Every answered invocation left its TMPDIR empty.
    static void verifyTmpEmpty(const QList<LambdaRun> &runs)
    {
        for (const LambdaRun &run : runs)
            QVERIFY2(run.leftInTmp.isEmpty(), qPrintable(run.leftInTmp.join(u' ')));
    }

    // How often the fake Gemini judged each file name.
    std::map<QString, int> judgedCounts() const
    {
        std::map<QString, int> counts;
        for (const QString &name : m_gemini->judgedFiles())
            ++counts[name];
        return counts;
    }

    static std::vector<json> comparableItems(const json &results, const std::string &prefix)
    {
        std::vector<json> items;
        for (const json &item : results["items"])
            items.push_back(comparable(item, prefix));
        return items;
    }

    // The most shard invocations judging at the same moment. A shard starts its successor as its
    // last step (then it checks whether it was the last one and answers), so a chain's two runs
    // may overlap by that tail; redeliveries that found their work done judge nothing.
    static int maxConcurrentShards(const QList<LambdaRun> &runs)
    {
        constexpr qint64 kHandoverMs = 1000;
        auto judging = [](const LambdaRun &r) { return r.event.contains("triage-shard") && !answerOf(r).value("noop", false); };
        int most = 0;
        for (const LambdaRun &a : runs) {
            int overlapping = 0;
            for (const LambdaRun &b : runs)
                overlapping += judging(a) && judging(b) && b.startMs <= a.startMs && a.startMs < b.endMs - kHandoverMs;
            most = std::max(most, overlapping);
        }
        return most;
    }

    // An HTTP API request through `bootstrap --event` (no Runtime API), with the Invoke API of
    // `lambda`: the status and the decoded body.
    std::pair<int, json> http(const FakeLambdaService &lambda, const QString &method, const QString &path, const QString &query,
                              const json &body = json())
    {
        QTemporaryDir dir;
        json event = {{"version", "2.0"},
                      {"rawPath", path.toStdString()},
                      {"rawQueryString", query.toStdString()},
                      {"requestContext", {{"http", {{"method", method.toStdString()}, {"path", path.toStdString()}}}}},
                      {"isBase64Encoded", false}};
        if (!body.is_null())
            event["body"] = body.dump();
        QFile file(dir.filePath(QStringLiteral("event.json")));
        if (!file.open(QIODevice::WriteOnly))
            return {0, json()};
        file.write(QByteArray::fromStdString(event.dump()));
        file.close();
        QProcess process;
        QProcessEnvironment env = environment(10, 3, 2);
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_LAMBDA"), lambda.endpoint().toString());
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(MT_BOOTSTRAP_PATH), {QStringLiteral("--event"), file.fileName()});
        if (!process.waitForFinished(60000))
            return {0, json()};
        const json response = parse(process.readAllStandardOutput().trimmed());
        if (!response.is_object() || !response["body"].is_string() || !response["statusCode"].is_number_integer())
            return {0, json()};
        return {response["statusCode"].get<int>(), parse(QByteArray::fromStdString(response["body"].get<std::string>()))};
    }

private slots:
    void initTestCase()
    {
        if (!test::S3rver::installed())
            QSKIP(qPrintable(test::S3rver::notInstalledReason()));
        QVERIFY2(m_s3rver.start({kBucket}), qPrintable(m_s3rver.errorString()));
        fakes::FakeGeminiOptions options;
        options.recordMedia = false;
        m_gemini = std::make_unique<fakes::FakeGeminiServer>(options);
        QVERIFY(m_gemini->start());
        m_s3 = std::make_unique<aws::S3Client>(aws::AwsConfig::make(
            "us-east-1", aws::AwsCredentials{test::S3rver::accessKeyId(), test::S3rver::secretAccessKey(), {}},
            {{"s3", m_s3rver.endpoint()}}));
        for (int i = 0; i < kObjects; ++i) {
            const bool burst = inBorderBurst(i);
            QVERIFY(scene(burst ? 1000 + (i + 2) / 20 : i, burst ? (i + 2) % 20 : 0).save(m_images.filePath(mediaName(i)), "JPEG", 85));
        }
    }

    // 300 objects in shards of 20, 6 at a time, give what one invocation gives; every object is
    // paid for once even with a redelivered shard and a coordinator started twice at once.
    void fanoutMatchesOneInvocation()
    {
        uploadSet(QStringLiteral("one/"), kObjects);
        uploadSet(QStringLiteral("fan/"), kObjects);
        {
            FakeLambdaService single(service(1000, 1, 20));
            QVERIFY(single.start());
            single.invokeAsync(coordinatorEvent(QStringLiteral("one/")));
            QVERIFY(single.waitUntilIdle(kIdleTimeoutMs));
            QCOMPARE(single.runs().size(), 1);
            QVERIFY2(single.runs().first().outcome == LambdaRun::Outcome::Response, single.runs().first().answer.constData());
            verifyTmpEmpty(single.runs());
        }
        const json one = getJson(QStringLiteral("one/_triage/results.json"));
        QCOMPARE(one["items"].size(), size_t(kObjects));
        QCOMPARE(int(judgedCounts().size()), kObjects);

        m_gemini->resetCounters();
        FakeLambdaService fan(service(20, 6, 5));
        QVERIFY(fan.start());
        fan.redeliverOnce("\"shard\":2,");
        fan.invokeAsync(coordinatorEvent(QStringLiteral("fan/")));
        fan.invokeAsync(coordinatorEvent(QStringLiteral("fan/")));
        QVERIFY(fan.waitUntilIdle(kIdleTimeoutMs));
        const QList<LambdaRun> runs = fan.runs();
        verifyTmpEmpty(runs);

        const json job = getJson(QStringLiteral("fan/_triage/job.json"));
        QCOMPARE(text(job["state"]), QStringLiteral("done"));
        // 15 shards of 20 would run a short third wave at 6 at a time: 18 even ones run three full waves.
        QCOMPARE(text(job["shards_total"]), QStringLiteral("18"));
        const json fanned = getJson(QStringLiteral("fan/_triage/results.json"));
        QCOMPARE(text(fanned["partial"]), QStringLiteral("false"));
        const auto expected = comparableItems(one, "one/"), actual = comparableItems(fanned, "fan/");
        QCOMPARE(actual.size(), expected.size());
        for (size_t i = 0; i < actual.size(); ++i)
            QVERIFY2(actual[i] == expected[i], (actual[i].dump() + "\n  one invocation: " + expected[i].dump()).c_str());
        QVERIFY2(fanned["counts"] == one["counts"], fanned["counts"].dump().c_str());

        // Groups across shard borders (the items equal one invocation's, groups included): a burst
        // judged in two shards is still one group. The plan's shard sizes say where the borders are.
        const json items = fanned.value("items", json::array());
        QCOMPARE(items.size(), size_t(kObjects));
        QVERIFY(items[18]["duplicate_group"].is_number_integer());
        for (int i : {19, 20, 21})
            QCOMPARE(text(items[size_t(i)]["duplicate_group"]), text(items[18]["duplicate_group"]));
        QVERIFY(items[17]["duplicate_group"].is_null() && items[22]["duplicate_group"].is_null());
        std::vector<int> shardOf;
        for (const json &size : job.value("shard_items", json::array()))
            shardOf.insert(shardOf.end(), size_t(size.get<int>()), shardOf.empty() ? 0 : shardOf.back() + 1);
        QCOMPARE(int(shardOf.size()), kObjects);
        int straddling = 0;
        for (size_t first = 18; first + 3 < size_t(kObjects); first += 20) {
            const json &group = items[first]["duplicate_group"];
            bool oneGroup = group.is_number_integer();
            for (size_t i = first + 1; i <= first + 3; ++i)
                oneGroup = oneGroup && items[i]["duplicate_group"] == group;
            straddling += oneGroup && shardOf[first] != shardOf[first + 3];
        }
        QVERIFY2(straddling >= 1, "no burst grouped across a shard border");

        // Each object paid for once: the redelivered shard and the second coordinator did nothing.
        const auto counts = judgedCounts();
        QCOMPARE(int(counts.size()), kObjects);
        for (const auto &[name, n] : counts)
            QVERIFY2(n == 1, qPrintable(QStringLiteral("%1 judged %2 times").arg(name).arg(n)));
        int coordinators = 0, noops = 0, shardTwo = 0;
        for (const LambdaRun &run : runs) {
            QVERIFY2(run.outcome == LambdaRun::Outcome::Response,
                     (QByteArray::number(int(run.outcome)) + " " + run.event + " " + run.answer).constData());
            const json answer = answerOf(run);
            coordinators += run.event.contains("\"action\":\"triage\"");
            noops += answer.value("noop", false);
            shardTwo += run.event.contains("\"shard\":2,");
        }
        QCOMPARE(coordinators, 2);
        QCOMPARE(shardTwo, 2);
        QCOMPARE(noops, 2); // the second coordinator and the redelivered shard
        QVERIFY2(maxConcurrentShards(runs) <= 6, qPrintable(QString::number(maxConcurrentShards(runs))));
        QVERIFY(m_gemini->violations().isEmpty());
    }

    // Coordinators started at once for one prefix start one job, on a store with conditional
    // writes (the claim is one If-None-Match put) and on one without (the claim waits out S3's
    // timestamp tick and the oldest claim wins).
    void concurrentCoordinatorsStartOneJob_data()
    {
        QTest::addColumn<bool>("conditionalWrites");
        QTest::newRow("store with If-None-Match") << true;
        QTest::newRow("store that ignores it") << false;
    }
    void concurrentCoordinatorsStartOneJob()
    {
        QFETCH(bool, conditionalWrites);
        test::S3rver store;
        store.setConditionalWrites(conditionalWrites);
        QVERIFY2(store.start({kBucket}), qPrintable(store.errorString()));
        aws::S3Client s3(aws::AwsConfig::make("us-east-1",
                                              aws::AwsCredentials{test::S3rver::accessKeyId(), test::S3rver::secretAccessKey(), {}},
                                              {{"s3", store.endpoint()}}));
        const QString prefix = QStringLiteral("claimed/");
        constexpr int kItems = 12;
        for (int i = 0; i < kItems; ++i)
            QVERIFY(s3.putObjectFromFile(kBucket, prefix + mediaName(i), m_images.filePath(mediaName(i)), "image/jpeg"));
        // A copy whose name lists it in the last shard: it joins its original's and is not paid for.
        QVERIFY(s3.putObjectFromFile(kBucket, prefix + QStringLiteral("zz-copy.jpg"), m_images.filePath(mediaName(0)), "image/jpeg"));
        m_gemini->resetCounters();
        FakeLambdaService fan(service(4, 3, 4, &store));
        QVERIFY(fan.start());
        for (int i = 0; i < 3; ++i)
            fan.invokeAsync(coordinatorEvent(prefix));
        QVERIFY(fan.waitUntilIdle(kIdleTimeoutMs));
        int started = 0, noops = 0;
        for (const LambdaRun &run : fan.runs()) {
            QVERIFY2(run.outcome == LambdaRun::Outcome::Response, (run.event + " " + run.answer).constData());
            if (!run.event.contains("\"action\":\"triage\""))
                continue;
            const json answer = answerOf(run);
            noops += answer.value("noop", false);
            started += answer.value("shards_total", 0) > 0;
        }
        QCOMPARE(started, 1);
        QCOMPARE(noops, 2);
        auto got = s3.getObject(kBucket, prefix + QStringLiteral("_triage/job.json"));
        QVERIFY(got);
        QCOMPARE(text(parse(*got)["state"]), QStringLiteral("done"));
        QVERIFY(parse(*got)["shards_total"].get<int>() > 1);
        auto results = s3.getObject(kBucket, prefix + QStringLiteral("_triage/results.json"));
        QVERIFY(results);
        const json items = parse(*results).value("items", json::array());
        QCOMPARE(items.size(), size_t(kItems + 1));
        QCOMPARE(text(items.back()["key"]), prefix + QStringLiteral("zz-copy.jpg"));
        QVERIFY2(text(items.back()["identical_to"]) == prefix + mediaName(0) && text(items.back()["verdict"]) == QLatin1String("discard"),
                 items.back().dump().c_str());
        const auto counts = judgedCounts();
        QCOMPARE(int(counts.size()), kItems);
        for (const auto &[name, n] : counts)
            QVERIFY2(n == 1, qPrintable(QStringLiteral("%1 judged %2 times").arg(name).arg(n)));
        // No claim is left behind to block the next job.
        auto claims = s3.listObjects(kBucket, prefix + QStringLiteral("_triage/claims/"));
        QVERIFY(claims);
        QVERIFY2(claims->empty(), qPrintable(claims->empty() ? QString() : claims->front().key));
    }

    // A claim stands while a coordinator may still be starting its job; one left by a coordinator
    // that died is taken over once it is older than a claim lasts, and the job starts.
    void claimLeftByADeadCoordinator()
    {
        const QString prefix = QStringLiteral("stale/");
        uploadSet(prefix, 3);
        const QString lock = prefix + QStringLiteral("_triage/claims/lock");
        QVERIFY(m_s3->putObject(kBucket, lock, R"({"requestId":"dead-coordinator"})", "application/json"));
        FakeLambdaService lambda(service(20, 2, 20));
        QVERIFY(lambda.start());
        lambda.invokeAsync(coordinatorEvent(prefix));
        QVERIFY(lambda.waitUntilIdle(kIdleTimeoutMs));
        QCOMPARE(lambda.runs().size(), 1);
        QVERIFY2(answerOf(lambda.runs().first()).value("noop", false), lambda.runs().first().answer.constData());
        QVERIFY(!m_s3->getObject(kBucket, prefix + QStringLiteral("_triage/results.json")));

        // A day old, far past a claim's five minutes.
        QVERIFY(m_s3rver.setLastModified(kBucket, lock, QDateTime::currentDateTimeUtc().addDays(-1)));
        lambda.invokeAsync(coordinatorEvent(prefix));
        QVERIFY(lambda.waitUntilIdle(kIdleTimeoutMs));
        QCOMPARE(lambda.runs().size(), 2);
        QVERIFY2(!answerOf(lambda.runs().last()).value("noop", false), lambda.runs().last().answer.constData());
        QCOMPARE(text(getJson(prefix + QStringLiteral("_triage/job.json"))["state"]), QStringLiteral("done"));
        QVERIFY2(!m_s3->getObject(kBucket, lock), "the claim outlived the job's start");
    }

    // Every shard is in but the invocation that won the merge died before writing results.json:
    // the job looks stuck, and starting it again merges without judging anything again.
    void mergerThatDiedIsReplaced()
    {
        const QString prefix = QStringLiteral("merger/");
        uploadSet(prefix, 12);
        FakeLambdaService fan(service(4, 3, 4));
        QVERIFY(fan.start());
        fan.invokeAsync(coordinatorEvent(prefix));
        QVERIFY(fan.waitUntilIdle(kIdleTimeoutMs));
        json job = getJson(prefix + QStringLiteral("_triage/job.json"));
        QCOMPARE(text(job["state"]), QStringLiteral("done"));
        QVERIFY(job["shards_total"].get<int>() > 1);

        // Back to the moment after the merge lock was taken, an hour ago: no results, a running job.
        QVERIFY(m_s3->deleteObject(kBucket, prefix + QStringLiteral("_triage/results.json")));
        job["state"] = "running";
        job["updatedAt"] = QDateTime::currentDateTimeUtc().addSecs(-3600).toString(Qt::ISODateWithMs).toStdString();
        QVERIFY(m_s3->putObject(kBucket, prefix + QStringLiteral("_triage/job.json"), QByteArray::fromStdString(job.dump()),
                                "application/json"));
        auto shards = m_s3->listObjects(kBucket, prefix + QStringLiteral("_triage/shards/"));
        QVERIFY(shards && !shards->empty());
        for (const aws::S3ObjectInfo &o : *shards)
            QVERIFY2(m_s3rver.setLastModified(kBucket, o.key, QDateTime::currentDateTimeUtc().addSecs(-3600)), qPrintable(o.key));
        auto locks = m_s3->listObjects(kBucket, prefix + QStringLiteral("_triage/merge/"));
        QVERIFY2(locks && locks->size() == 1, "the merge lock of the first merge is not there to get in the way");

        m_gemini->resetCounters();
        fan.invokeAsync(coordinatorEvent(prefix));
        QVERIFY(fan.waitUntilIdle(kIdleTimeoutMs));
        QVERIFY2(answerOf(fan.runs().last()).value("resumed", -1) == 0, fan.runs().last().answer.constData());
        QCOMPARE(text(getJson(prefix + QStringLiteral("_triage/job.json"))["state"]), QStringLiteral("done"));
        QCOMPARE(getJson(prefix + QStringLiteral("_triage/results.json")).value("items", json::array()).size(), size_t(12));
        QVERIFY(judgedCounts().empty());
    }

    // A shard killed mid-way is finished by Lambda's retry, a deadline in the middle of a shard
    // hands the rest to a fresh invocation, a shard that always crashes leaves the job partial
    // with its objects as errors; a second start re-runs only that shard.
    void faultsEndPartialNeverStuck()
    {
        const QString prefix = QStringLiteral("faults/");
        uploadSet(prefix, 60);
        m_gemini->resetCounters();
        m_gemini->setGenerateLatencyMs(700);
        FakeLambdaService fan(service(10, 3, 2));
        QVERIFY(fan.start());
        fan.addFault({"\"shard\":1,", 1200, 1});  // killed once, mid-way
        fan.addFault({"\"shard\":4,", 300, -1});  // crashes every time
        fan.setTimeoutFor({"\"continuation\":0,", "\"shard\":3,"}, 2500); // its deadline comes mid-shard
        // Shard 2's Invoke of shard 5, the rest of its chain, is refused through all its retries:
        // shard 2 fails after writing its shard file, and Lambda's retry starts shard 5.
        fan.refuseInvokes("\"shard\":5,", 4);
        fan.invokeAsync(coordinatorEvent(prefix));
        QVERIFY(fan.waitUntilIdle(kIdleTimeoutMs));
        m_gemini->setGenerateLatencyMs(0);
        verifyTmpEmpty(fan.runs());

        const json job = getJson(prefix + QStringLiteral("_triage/job.json"));
        QCOMPARE(text(job["state"]), QStringLiteral("partial"));
        QCOMPARE(text(job["shards_failed"]), QStringLiteral("1"));
        json results = getJson(prefix + QStringLiteral("_triage/results.json"));
        QCOMPARE(text(results["partial"]), QStringLiteral("true"));
        QCOMPARE(results["items"].size(), size_t(60));
        for (size_t i = 0; i < 60; ++i) {
            const json &item = results["items"][i];
            if (i / 10 == 4) {
                QCOMPARE(text(item["verdict"]), QStringLiteral("error"));
                QVERIFY2(text(item["error"]).contains(QStringLiteral("failed after Lambda's retries")), item.dump().c_str());
            } else {
                QVERIFY2(item["error"].is_null(), item.dump().c_str());
            }
        }
        int killedOne = 0, crashedFour = 0, continuedThree = 0, failedTwo = 0, resumedTwo = 0;
        for (const LambdaRun &run : fan.runs()) {
            killedOne += run.event.contains("\"shard\":1,") && run.outcome == LambdaRun::Outcome::Killed;
            crashedFour += run.event.contains("\"shard\":4,") && run.outcome == LambdaRun::Outcome::Killed;
            continuedThree += run.event.contains("\"shard\":3,") && answerOf(run).value("continued", false);
            failedTwo += run.event.contains("\"shard\":2,") && run.outcome == LambdaRun::Outcome::Error;
            resumedTwo += run.event.contains("\"shard\":2,") && answerOf(run).value("chain_resumed", false);
        }
        QCOMPARE(killedOne, 1);
        QCOMPARE(crashedFour, 3); // the first delivery and Lambda's two retries
        QVERIFY(continuedThree >= 1);
        QCOMPARE(fan.refusedInvokes(), 4);
        QCOMPARE(failedTwo, 1);
        QCOMPARE(resumedTwo, 1);
        // Nothing judged twice outside the shards whose work was cut off.
        for (const auto &[name, n] : judgedCounts()) {
            const int shard = name.mid(4, 4).toInt() / 10;
            QVERIFY2(n == 1 || shard == 1 || shard == 3 || shard == 4, qPrintable(name));
        }
        // Progress as a client polls it (the HTTP route, through a local event run).
        const auto [status, polled] = http(fan, QStringLiteral("GET"), QStringLiteral("/triage/results"), QStringLiteral("prefix=faults/"));
        QCOMPARE(status, 200);
        QCOMPARE(text(polled["state"]), QStringLiteral("partial"));
        QCOMPARE(text(polled["shards_done"]), QStringLiteral("6"));
        QCOMPARE(text(polled["shards_total"]), QStringLiteral("6"));
        QCOMPARE(text(polled["items_judged"]), QStringLiteral("60"));

        // Started again (POST /triage): only the failed shard runs, and only its objects are paid for.
        // A killed attempt's request may still be answered (and paid for) late: that belongs to the run above.
        QTRY_COMPARE_WITH_TIMEOUT(m_gemini->generateCallsInFlight(), 0, 10000);
        m_gemini->resetCounters();
        fan.clearFaults();
        QCOMPARE(http(fan, QStringLiteral("POST"), QStringLiteral("/triage"), {}, json{{"prefix", "faults/"}}).first, 202);
        QVERIFY(fan.waitUntilIdle(kIdleTimeoutMs));
        int resumed = 0;
        for (const LambdaRun &run : fan.runs())
            resumed += answerOf(run).value("resumed", 0);
        QCOMPARE(resumed, 1);
        verifyTmpEmpty(fan.runs());
        QCOMPARE(text(getJson(prefix + QStringLiteral("_triage/job.json"))["state"]), QStringLiteral("done"));
        results = getJson(prefix + QStringLiteral("_triage/results.json"));
        QCOMPARE(text(results["partial"]), QStringLiteral("false"));
        QCOMPARE(text(results["counts"]["errors"]), QStringLiteral("0"));
        const auto counts = judgedCounts();
        QCOMPARE(int(counts.size()), 10);
        for (const auto &[name, n] : counts)
            QVERIFY2(n == 1 && name.mid(4, 4).toInt() / 10 == 4, qPrintable(QStringLiteral("%1 judged %2 times").arg(name).arg(n)));
    }
};

QTEST_GUILESS_MAIN(TestLambdaFanout)
#include "tst_lambda_fanout.moc"
