// Lambda fan-out benchmark: wall time from the coordinator's invoke to job.json `done` for one
// prefix of small photos, on s3rver with the fake Gemini answering each request after a fixed
// latency, every invocation a real bootstrap process on the local Lambda stand-in
// (tests/fakes/FakeLambdaService). Prints a table; run it through run.sh.
#include "FakeGeminiServer.h"
#include "FakeLambdaService.h"
#include "LambdaFunctionEnvironment.h"
#include "S3rver.h"

#include "aws/AwsConfig.h"
#include "aws/S3Client.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>
#include <QThread>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <random>

#include <sys/resource.h>
#include <unistd.h>

using namespace mt;
using nlohmann::json;

namespace {

const QString kBucket = QStringLiteral("media");
const QString kPrefix = QStringLiteral("bench/");

// A distinct picture per index (no two byte-identical: copies would be judged once per run).
QByteArray smallJpeg(int i)
{
    std::mt19937 random(quint32(i) + 1u);
    std::uniform_int_distribution<int> byte(0, 255);
    const int r = byte(random), g = byte(random), b = byte(random), cx = byte(random) % 96, cy = byte(random) % 72;
    QImage image(96, 72, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y, qRgb((r + x * 2) % 256, (g + y * 3) % 256, std::abs(x - cx) + std::abs(y - cy) < 20 ? b : 255 - b));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 80);
    return bytes;
}

// CPU seconds, to tell a run that waited from one that had no core left: this process (the fake
// Gemini and the Lambda stand-in), the function processes it has reaped, and s3rver.
struct CpuSeconds {
    double self = 0, functions = 0, s3rver = 0;
    double total() const { return self + functions + s3rver; }

    static CpuSeconds now(qint64 s3rverPid)
    {
        auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
        rusage self{}, children{};
        getrusage(RUSAGE_SELF, &self);
        getrusage(RUSAGE_CHILDREN, &children);
        CpuSeconds out{seconds(self.ru_utime) + seconds(self.ru_stime), seconds(children.ru_utime) + seconds(children.ru_stime), 0};
        QFile stat(QStringLiteral("/proc/%1/stat").arg(s3rverPid));
        if (stat.open(QIODevice::ReadOnly)) {
            // Fields 14 and 15 (utime, stime) follow the command name, which ends at the last ')'.
            const QByteArray text = stat.readAll();
            const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 12)
                out.s3rver = double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
        }
        return out;
    }
    CpuSeconds operator-(const CpuSeconds &o) const { return {self - o.self, functions - o.functions, s3rver - o.s3rver}; }
};

struct Row {
    QString label;
    int concurrency = 0; // 0: one invocation
    double seconds = 0;
    int invocations = 0;
    int geminiRequests = 0;
    QString state;
    CpuSeconds cpu;
};

class Bench {
public:
    test::S3rver s3rver;
    fakes::FakeGeminiServer gemini{[] {
        fakes::FakeGeminiOptions o;
        o.recordMedia = false;
        return o;
    }()};
    std::unique_ptr<aws::S3Client> s3;
    QTemporaryDir home;
    QString logDirectory; // --logs: every invocation's stderr, one folder per run

    QProcessEnvironment environment(int shardItems, int concurrency) const
    {
        QProcessEnvironment env = test::lambdaFunctionEnvironment(
            home.path(), s3rver.endpoint(), kBucket, {gemini.baseUrl(), gemini.options().models.first(), gemini.options().apiKey});
        if (shardItems > 0) // else the function's default
            env.insert(QStringLiteral("MT_SHARD_ITEMS"), QString::number(shardItems));
        env.insert(QStringLiteral("MT_SHARD_CONCURRENCY"), QString::number(concurrency));
        return env;
    }

    // Everything a run left under P_triage/, so the next run judges (and pays) again.
    void clearOutput()
    {
        auto listing = s3->listObjects(kBucket, kPrefix + QStringLiteral("_triage/"));
        QStringList keys;
        if (listing)
            for (const aws::S3ObjectInfo &o : *listing)
                keys << o.key;
        if (!keys.isEmpty())
            (void)s3->deleteObjects(kBucket, keys);
    }

    Row run(const QString &label, int shardItems, int concurrency, int repetition)
    {
        clearOutput();
        gemini.resetCounters();
        fakes::FakeLambdaService::Options options;
        options.bootstrap = QStringLiteral(MT_BUILD_BOOTSTRAP);
        options.environment = environment(shardItems, std::max(1, concurrency));
        options.concurrency = std::max(1, concurrency) + 1;
        if (!logDirectory.isEmpty()) {
            options.logDirectory = QDir(logDirectory).filePath(QStringLiteral("c%1-run%2").arg(concurrency).arg(repetition + 1));
            QDir().mkpath(options.logDirectory);
        }
        fakes::FakeLambdaService lambda(options);
        Row row{label, concurrency, 0, 0, 0, {}, {}};
        if (!lambda.start())
            return row;
        const CpuSeconds cpuBefore = CpuSeconds::now(s3rver.processId());
        QElapsedTimer timer;
        timer.start();
        lambda.invokeAsync(QByteArray::fromStdString(
            json{{"action", "triage"}, {"bucket", kBucket.toStdString()}, {"prefix", kPrefix.toStdString()}}.dump()));
        lambda.waitUntilIdle(30 * 60 * 1000);
        row.seconds = timer.elapsed() / 1000.0;
        row.cpu = CpuSeconds::now(s3rver.processId()) - cpuBefore;
        row.invocations = int(lambda.runs().size());
        row.geminiRequests = gemini.stats().answeredCalls;
        auto job = s3->getObject(kBucket, kPrefix + QStringLiteral("_triage/job.json"));
        const json doc = job ? json::parse(job->toStdString(), nullptr, false) : json();
        row.state = doc.is_object() ? QString::fromStdString(doc.value("state", std::string("?"))) : QStringLiteral("?");
        return row;
    }
};

// One configuration measured `--runs` times; only runs that ended `done` count.
struct Series {
    QString label;
    int shardItems = 0;
    int concurrency = 0;
    std::vector<Row> runs;

    std::vector<const Row *> done() const
    {
        std::vector<const Row *> ok;
        for (const Row &r : runs)
            if (r.state == QLatin1String("done"))
                ok.push_back(&r);
        return ok;
    }
    template <typename Field>
    double median(Field field) const
    {
        std::vector<double> values;
        for (const Row *r : done())
            values.push_back(field(*r));
        if (values.empty())
            return 0;
        std::sort(values.begin(), values.end());
        const size_t mid = values.size() / 2;
        return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption objects(QStringLiteral("objects"), QStringLiteral("Objects in the prefix."), QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption shardItems(QStringLiteral("shard-items"), QStringLiteral("MT_SHARD_ITEMS (default: the function's)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption latency(QStringLiteral("latency-ms"), QStringLiteral("Fake Gemini latency per request."), QStringLiteral("MS"),
                                     QStringLiteral("1000"));
    const QCommandLineOption concurrency(QStringLiteral("concurrency"), QStringLiteral("Shard concurrencies to measure."),
                                         QStringLiteral("LIST"), QStringLiteral("1,4,8"));
    const QCommandLineOption logs(QStringLiteral("logs"), QStringLiteral("Keep every invocation's log under DIR."), QStringLiteral("DIR"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Runs of every configuration, taken in turns (medians)."),
                                  QStringLiteral("N"), QStringLiteral("1"));
    parser.addOptions({objects, shardItems, latency, concurrency, logs, runs});
    parser.process(app);
    if (!test::S3rver::installed()) {
        std::fprintf(stderr, "%s\n", qPrintable(test::S3rver::notInstalledReason()));
        return 2;
    }
    Bench bench;
    bench.logDirectory = parser.value(logs);
    if (!bench.s3rver.start({kBucket}) || !bench.gemini.start()) {
        std::fprintf(stderr, "cannot start s3rver or the fake Gemini: %s\n", qPrintable(bench.s3rver.errorString()));
        return 1;
    }
    bench.gemini.setGenerateLatencyMs(parser.value(latency).toInt());
    bench.s3 = std::make_unique<aws::S3Client>(aws::AwsConfig::make(
        "us-east-1", aws::AwsCredentials{test::S3rver::accessKeyId(), test::S3rver::secretAccessKey(), {}},
        {{"s3", bench.s3rver.endpoint()}}));
    const int count = parser.value(objects).toInt();
    for (int i = 0; i < count; ++i)
        if (!bench.s3->putObject(kBucket, kPrefix + QStringLiteral("img_%1.jpg").arg(i, 5, 10, QLatin1Char('0')), smallJpeg(i), "image/jpeg")) {
            std::fprintf(stderr, "upload failed\n");
            return 1;
        }
    std::vector<Series> series{{QStringLiteral("one invocation"), 1 << 30, 0, {}}};
    for (const QString &c : parser.value(concurrency).split(u','))
        series.push_back({QStringLiteral("fan-out, %1 at a time").arg(c.toInt()), parser.value(shardItems).toInt(), c.toInt(), {}});
    // In turns, so that the machine's moods fall on every configuration alike.
    const int repetitions = std::max(1, parser.value(runs).toInt());
    for (int r = 0; r < repetitions; ++r)
        for (Series &one : series)
            one.runs.push_back(bench.run(one.label, one.shardItems, one.concurrency, r));
    const int items = parser.value(shardItems).toInt();
    const int cores = QThread::idealThreadCount();
    std::printf("\n%d objects, MT_SHARD_ITEMS %s, fake Gemini %d ms per request, %d cores, %d run(s) each: medians of the runs "
                "that ended done\n\n",
                count, items > 0 ? qPrintable(QString::number(items)) : "(the function's default)", parser.value(latency).toInt(), cores,
                repetitions);
    std::printf("| run | wall time to done (min-max) | × one invocation | runs done | invocations | Gemini requests "
                "| CPU s: functions / s3rver / fakes | cores busy |\n|---|---|---|---|---|---|---|---|\n");
    const double single = series.front().median([](const Row &r) { return r.seconds; });
    bool allDone = true;
    for (const Series &one : series) {
        const auto ok = one.done();
        allDone = allDone && ok.size() == one.runs.size();
        if (ok.empty()) {
            std::printf("| %s | failed (job %s) | | 0/%zu | | | | |\n", qPrintable(one.label), qPrintable(one.runs.front().state),
                        one.runs.size());
            continue;
        }
        auto [fastest, slowest] = std::minmax_element(ok.begin(), ok.end(), [](const Row *a, const Row *b) { return a->seconds < b->seconds; });
        const double seconds = one.median([](const Row &r) { return r.seconds; });
        const double busy = one.median([cores](const Row &r) { return 100.0 * r.cpu.total() / (r.seconds * cores); });
        std::printf("| %s | %.1f s (%.1f-%.1f) | %.2f | %zu/%zu | %.0f | %.0f | %.1f / %.1f / %.1f | %.0f%% |\n", qPrintable(one.label),
                    seconds, (*fastest)->seconds, (*slowest)->seconds, single > 0 ? seconds / single : 0.0, ok.size(), one.runs.size(),
                    one.median([](const Row &r) { return double(r.invocations); }),
                    one.median([](const Row &r) { return double(r.geminiRequests); }),
                    one.median([](const Row &r) { return r.cpu.functions; }), one.median([](const Row &r) { return r.cpu.s3rver; }),
                    one.median([](const Row &r) { return r.cpu.self; }), busy);
    }
    // A run that did not end done is never timed as a fast one: it is left out, and the exit code says so.
    if (!allDone)
        return 1;
    return 0;
}
