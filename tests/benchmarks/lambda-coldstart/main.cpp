// Lambda cold-start benchmark: how long the (bundled) bootstrap takes from process start to its
// first `GET /runtime/invocation/next`, and to its answer to a `GET /health` HTTP API event, with
// the Gemini key fetched from SSM during init — against the in-process Runtime API and SSM fakes.
// Also times bare `bootstrap --version` in three ways to separate the wrapper's shell, dynamic
// loading and the runtime's own init, and reports the bundle's size. Not a CTest test: run
// tests/benchmarks/lambda-coldstart/run.sh.
#include "FakeRuntimeApi.h"
#include "FakeSsmServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace {

using json = nlohmann::json;

constexpr char kKeyParam[] = "/mediatriage/gemini-api-key";
constexpr char kHealthEvent[] = R"({"version":"2.0","routeKey":"GET /health","rawPath":"/health","rawQueryString":"",
"headers":{"accept":"application/json"},"requestContext":{"accountId":"123456789012","apiId":"bench",
"domainName":"bench.execute-api.us-east-1.amazonaws.com","http":{"method":"GET","path":"/health",
"protocol":"HTTP/1.1","sourceIp":"127.0.0.1","userAgent":"coldstart"},"requestId":"bench","routeKey":"GET /health",
"stage":"$default","time":"27/Nov/2026:10:00:00 +0000","timeEpoch":1795773600000},"isBase64Encoded":false})";

void print(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

struct Stats {
    double median = 0, p90 = 0, min = 0, max = 0;
};

Stats stats(std::vector<double> v)
{
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    const auto at = [&v](double q) {
        // Nearest-rank percentile: the smallest value with at least q of the runs at or below it.
        const size_t rank = size_t(std::max(1.0, std::ceil(q * double(v.size()))));
        return v[std::min(rank, v.size()) - 1];
    };
    s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    s.p90 = at(0.9);
    s.min = v.front();
    s.max = v.back();
    return s;
}

QString row(const QString &label, const std::vector<double> &values)
{
    const Stats s = stats(values);
    return QStringLiteral("  %1 %2 %3 %4 %5")
        .arg(label, -46)
        .arg(s.median, 8, 'f', 1)
        .arg(s.p90, 8, 'f', 1)
        .arg(s.min, 8, 'f', 1)
        .arg(s.max, 8, 'f', 1);
}

struct ColdStart {
    double toFirstNextMs = 0;
    double toHealthResponseMs = 0;
    std::optional<double> initLogMs; // what the runtime's own init log says
};

QProcessEnvironment lambdaEnvironment(const QString &runtimeApi, const QString &ssmEndpoint, const QString &home)
{
    // What Lambda gives a function, and nothing from the benchmark's own environment.
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("en_US.UTF-8"));
    env.insert(QStringLiteral("TZ"), QStringLiteral(":UTC"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("TMPDIR"), home);
    env.insert(QStringLiteral("AWS_LAMBDA_RUNTIME_API"), runtimeApi);
    env.insert(QStringLiteral("AWS_LAMBDA_FUNCTION_NAME"), QStringLiteral("mediatriage"));
    env.insert(QStringLiteral("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), QStringLiteral("3008"));
    env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDCOLDSTART"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("coldstart-secret"));
    env.insert(QStringLiteral("AWS_SESSION_TOKEN"), QStringLiteral("coldstart-session"));
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_SSM"), ssmEndpoint);
    env.insert(QStringLiteral("GEMINI_API_KEY_PARAM"), QString::fromLatin1(kKeyParam));
    env.insert(QStringLiteral("MEDIA_BUCKET"), QStringLiteral("coldstart-bench"));
    return env;
}

std::optional<double> initDurationFromLogs(const QByteArray &stdoutBytes)
{
    for (const QByteArray &line : stdoutBytes.split('\n')) {
        const json record = json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (record.is_object() && record.value("stage", "") == "init" && record.contains("durationMs")
            && record["durationMs"].is_number())
            return record["durationMs"].get<double>();
    }
    return std::nullopt;
}

std::optional<ColdStart> measureColdStart(const QString &bootstrap, const QString &ssmEndpoint, QString *error)
{
    mt::fakes::FakeRuntimeApi runtime;
    if (!runtime.start()) {
        *error = QStringLiteral("the fake Runtime API did not start");
        return std::nullopt;
    }
    QTemporaryDir home;
    const QByteArray id = runtime.queueEvent(kHealthEvent);
    QProcess process;
    process.setProgram(bootstrap);
    process.setProcessEnvironment(
        lambdaEnvironment(QString::fromLatin1(runtime.hostPort()), ssmEndpoint, home.path()));
    process.setProcessChannelMode(QProcess::SeparateChannels);
    const qint64 startedAt = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer precise;
    precise.start();
    process.start();
    if (!process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(bootstrap, process.errorString());
        return std::nullopt;
    }
    const auto result = runtime.waitForResult(id, 30000);
    // The fake stamps arrivals in epoch milliseconds; the start is taken the same way.
    const auto firstNext = runtime.firstNextAtMs();
    process.kill(); // a runtime loops on `next` forever
    process.waitForFinished(10000);
    if (!result || !firstNext) {
        *error = QStringLiteral("no %1 within 30 s; stderr: %2")
                     .arg(firstNext ? QStringLiteral("response") : QStringLiteral("GET next"),
                          QString::fromUtf8(process.readAllStandardError().right(2000)));
        if (const auto init = runtime.waitForInitError(0))
            *error += QStringLiteral("; init error: ") + QString::fromUtf8(init->body);
        return std::nullopt;
    }
    const json answer = json::parse(result->body.toStdString(), nullptr, false);
    if (result->kind != mt::fakes::RuntimePost::Kind::Response || !answer.is_object()
        || answer.value("statusCode", 0) != 200) {
        *error = QStringLiteral("GET /health was not answered 200: ") + QString::fromUtf8(result->body.left(500));
        return std::nullopt;
    }
    ColdStart c;
    c.toFirstNextMs = double(*firstNext - startedAt);
    c.toHealthResponseMs = double(result->atMs - startedAt);
    c.initLogMs = initDurationFromLogs(process.readAllStandardOutput());
    return c;
}

// Wall time of a process from start to exit, in ms; nullopt if it fails.
std::optional<double> timeProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    process.start(program, args);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return std::nullopt;
    return double(timer.nsecsElapsed()) / 1e6;
}

qint64 folderBytes(const QString &dir, int *libraries)
{
    qint64 bytes = 0;
    *libraries = 0;
    QDirIterator it(dir, QDir::Files | QDir::NoSymLinks | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        bytes += it.fileInfo().size();
        if (it.fileName().contains(QLatin1String(".so")))
            ++*libraries;
    }
    return bytes;
}

// The dynamic loader's own account of one start (LD_DEBUG=statistics): cycles spent, relocation share.
QString loaderStatistics(const QString &bootstrap, const QProcessEnvironment &baseEnv)
{
    QProcessEnvironment env = baseEnv;
    env.insert(QStringLiteral("LD_DEBUG"), QStringLiteral("statistics"));
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(bootstrap, {QStringLiteral("--version")});
    if (!process.waitForFinished(30000))
        return {};
    const QString text = QString::fromUtf8(process.readAllStandardError());
    // The last "total startup time" block is the program's (the wrapper's shell prints one too).
    static const QRegularExpression total(QStringLiteral("total startup time in dynamic loader: ([0-9,]+) cycles"));
    static const QRegularExpression reloc(QStringLiteral("time needed for relocation: ([0-9,]+) cycles \\(([0-9.]+)%\\)"));
    static const QRegularExpression count(QStringLiteral("final number of relocations: ([0-9]+)"));
    qint64 cycles = 0, relocCycles = 0;
    QString relocShare, relocations;
    for (auto it = total.globalMatch(text); it.hasNext();)
        cycles = it.next().captured(1).remove(u',').toLongLong();
    for (auto it = reloc.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        relocCycles = m.captured(1).remove(u',').toLongLong();
        relocShare = m.captured(2);
    }
    if (const auto m = count.match(text); m.hasMatch())
        relocations = m.captured(1);
    double mhz = 0;
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        static const QRegularExpression freq(QStringLiteral("cpu MHz\\s*:\\s*([0-9.]+)"));
        if (const auto m = freq.match(QString::fromLatin1(cpuinfo.readAll())); m.hasMatch())
            mhz = m.captured(1).toDouble();
    }
    if (cycles == 0)
        return {};
    QString line = QStringLiteral("dynamic loader: %1 Mcycles").arg(double(cycles) / 1e6, 0, 'f', 1);
    if (mhz > 0)
        line += QStringLiteral(" (~%1 ms at %2 MHz)").arg(double(cycles) / (mhz * 1e3), 0, 'f', 1).arg(mhz, 0, 'f', 0);
    line += QStringLiteral(", %1% of it relocation (%2 symbol relocations; %3 Mcycles)")
                .arg(relocShare, relocations)
                .arg(double(relocCycles) / 1e6, 0, 'f', 1);
    return line;
}

// Other processes on a small machine move these numbers a lot: say how busy it was.
QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.size() >= 3 ? QString::fromLatin1(fields[0] + ' ' + fields[1] + ' ' + fields[2]) : QStringLiteral("unknown");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lambda cold start of bootstrap against local fakes."));
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Cold starts to measure (default 30)."),
                                        QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption bundleOption(QStringLiteral("bundle"),
                                          QStringLiteral("Bundle made by lambda/bundle.sh (default: "
                                                         "<build>/lambda-bundle if present, else the build tree's bootstrap)."),
                                          QStringLiteral("DIR"), QStringLiteral(MT_DEFAULT_BUNDLE_DIR));
    parser.addOptions({runsOption, bundleOption});
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOption).toInt());

    const QString bundleDir = parser.value(bundleOption);
    const bool bundled = QFileInfo(bundleDir + QStringLiteral("/bootstrap")).isExecutable();
    const QString bootstrap = bundled ? bundleDir + QStringLiteral("/bootstrap") : QStringLiteral(MT_BUILD_BOOTSTRAP);
    if (!QFileInfo(bootstrap).isExecutable()) {
        print(QStringLiteral("no bootstrap at %1; build it first (run.sh does)").arg(bootstrap));
        return 2;
    }

    mt::fakes::FakeSsmServer ssm;
    if (!ssm.start()) {
        print(QStringLiteral("the fake SSM server did not start"));
        return 1;
    }
    ssm.setParameter(QString::fromLatin1(kKeyParam), QStringLiteral("gemini-key-from-ssm"));

    print(QStringLiteral("Lambda cold start: %1 runs of %2 (%3); %4 cores, load average %5")
              .arg(runs)
              .arg(bootstrap, bundled ? QStringLiteral("bundled: own loader, libc and libraries")
                                      : QStringLiteral("NOT bundled: build tree, system libraries"))
              .arg(QThread::idealThreadCount())
              .arg(loadAverage()));
    std::vector<double> toNext, toHealth, initLog;
    for (int i = 0; i < runs; ++i) {
        QString error;
        const auto c = measureColdStart(bootstrap, ssm.endpoint().toString(), &error);
        if (!c) {
            print(QStringLiteral("run %1 failed: %2").arg(i + 1).arg(error));
            return 1;
        }
        toNext.push_back(c->toFirstNextMs);
        toHealth.push_back(c->toHealthResponseMs);
        if (c->initLogMs)
            initLog.push_back(*c->initLogMs);
    }
    if (ssm.getParameterCalls() < runs) {
        print(QStringLiteral("SSM was asked %1 times in %2 runs: the key was not fetched at init").arg(ssm.getParameterCalls()).arg(runs));
        return 1;
    }

    QTemporaryDir home;
    const QProcessEnvironment bareEnv = lambdaEnvironment(QStringLiteral("127.0.0.1:9"), QStringLiteral("http://127.0.0.1:9"), home.path());
    std::vector<double> versionWrapper, versionLoader, versionBuild, trueFloor;
    // A start that fails is reported and ends the benchmark; it is never left out of the figures.
    auto record = [](std::vector<double> &into, std::optional<double> ms, const QString &what) {
        if (!ms) {
            print(QStringLiteral("FAILED: %1 did not exit 0 within 30 s").arg(what));
            return false;
        }
        into.push_back(*ms);
        return true;
    };
    const QString bundledBinary = bundleDir + QStringLiteral("/bin/bootstrap");
    const QString bundledLoader = bundleDir + QStringLiteral("/lib/ld-linux-x86-64.so.2");
    const QStringList viaLoader{QStringLiteral("--inhibit-cache"), QStringLiteral("--library-path"),
                                bundleDir + QStringLiteral("/lib"), bundledBinary, QStringLiteral("--version")};
    for (int i = 0; i < runs; ++i) {
        if (bundled
            && (!record(versionWrapper, timeProcess(bootstrap, {QStringLiteral("--version")}, bareEnv), bootstrap + QStringLiteral(" --version"))
                || !record(versionLoader, timeProcess(bundledLoader, viaLoader, bareEnv), bundledLoader + QStringLiteral(" ... --version"))))
            return 1;
        if (!record(versionBuild, timeProcess(QStringLiteral(MT_BUILD_BOOTSTRAP), {QStringLiteral("--version")}, bareEnv),
                    QStringLiteral(MT_BUILD_BOOTSTRAP " --version"))
            || !record(trueFloor, timeProcess(QStringLiteral("/bin/true"), {}, bareEnv), QStringLiteral("/bin/true")))
            return 1;
    }

    print(QStringLiteral("  %1 %2 %3 %4 %5").arg(QStringLiteral("ms"), -46).arg(QStringLiteral("median"), 8)
              .arg(QStringLiteral("p90"), 8).arg(QStringLiteral("min"), 8).arg(QStringLiteral("max"), 8));
    print(row(QStringLiteral("process start -> first GET next (SSM at init)"), toNext));
    print(row(QStringLiteral("process start -> GET /health response"), toHealth));
    if (!initLog.empty())
        print(row(QStringLiteral("  of which init (runtime's log, SSM included)"), initLog));
    if (bundled) {
        print(row(QStringLiteral("bootstrap --version, bundle wrapper (sh)"), versionWrapper));
        print(row(QStringLiteral("bootstrap --version, bundled loader, no sh"), versionLoader));
    }
    print(row(QStringLiteral("bootstrap --version, build tree, system libs"), versionBuild));
    print(row(QStringLiteral("/bin/true (process start floor)"), trueFloor));

    const double medianNext = stats(toNext).median;
    print(QStringLiteral("target <= 50 ms to the first next: %1 (median %2 ms); the seed's Go runtime: ~290 ms with SSM")
              .arg(medianNext <= 50 ? QStringLiteral("MET") : QStringLiteral("MISSED"))
              .arg(medianNext, 0, 'f', 1));
    if (bundled) {
        int libraries = 0;
        const qint64 bytes = folderBytes(bundleDir, &libraries);
        print(QStringLiteral("bundle: %1 MB, %2 shared objects (the seed's image: 200-400 MB)")
                  .arg(double(bytes) / (1024 * 1024), 0, 'f', 0)
                  .arg(libraries));
    }
    if (const QString loader = loaderStatistics(bootstrap, bareEnv); !loader.isEmpty())
        print(loader);
    print(QStringLiteral("load average at the end: %1").arg(loadAverage()));
    return 0;
}
