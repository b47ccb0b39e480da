// Triage benchmark: the same mixed folder triaged twice against the fake Gemini with realistic
// latency — once as the original system did (prepare everything, then send the batches one after
// another) and once with the engine's pipeline — and the bytes that went up per item.
//
//   triage-benchmark [--photos N] [--videos N] [--photo-size WxH] [--generate-latency MS] [--upload-latency MS] [--runs N]
//
// Small photos and no videos (--photo-size 640x480 --videos 0) take preparation out of the
// picture and show what the pipeline does with the network latency alone.
#include "FakeGeminiServer.h"
#include "media/FolderScanner.h"
#include "triage/TriageEngine.h"
#include "triage/VerdictStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLinearGradient>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentMap>

#include <QThread>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace mt;

namespace {

// A phone-sized photo with enough detail that JPEG cannot shrink it to nothing.
bool writePhoto(const QString &path, int seed, QSize size)
{
    QRandomGenerator rng{quint32(seed)};
    QImage image(size, QImage::Format_RGB32);
    QPainter p(&image);
    QLinearGradient g(0, 0, image.width(), image.height());
    g.setColorAt(0, QColor::fromHsv(int(rng.bounded(360)), 120, 230));
    g.setColorAt(1, QColor::fromHsv(int(rng.bounded(360)), 200, 80));
    p.fillRect(image.rect(), g);
    for (int i = 0; i < 400; ++i) {
        p.setBrush(QColor::fromHsv(int(rng.bounded(360)), int(rng.bounded(256)), int(rng.bounded(256)), 160));
        p.setPen(Qt::NoPen);
        p.drawEllipse(QPoint(int(rng.bounded(image.width())), int(rng.bounded(image.height()))),
                      int(rng.bounded(20, 300)), int(rng.bounded(20, 300)));
    }
    p.end();
    return image.save(path, "JPEG", 92);
}

bool writeVideo(const QString &path, int seed)
{
    QProcess ff;
    ff.start(QStringLiteral("ffmpeg"), {QStringLiteral("-nostdin"), QStringLiteral("-loglevel"), QStringLiteral("error"),
                                        QStringLiteral("-y"), QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                                        QStringLiteral("testsrc2=size=960x540:rate=30"), QStringLiteral("-f"), QStringLiteral("lavfi"),
                                        QStringLiteral("-i"), QStringLiteral("sine=frequency=%1").arg(200 + seed * 40),
                                        QStringLiteral("-t"), QStringLiteral("4"), QStringLiteral("-c:v"), QStringLiteral("libx264"),
                                        QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), QStringLiteral("-c:a"), QStringLiteral("aac"), path});
    return ff.waitForFinished(120000) && ff.exitCode() == 0;
}

struct Measured {
    double seconds = 0;
    double readSeconds = 0; // metadata + content hashes, before any preparation
    TriageRun run;
    fakes::FakeGeminiStats stats;
};

Measured measure(const std::vector<MediaItem> &items, fakes::FakeGeminiServer &server, const QString &storePath, bool pipelined)
{
    QFile::remove(storePath);
    auto store = VerdictStore::open(storePath);
    gemini::GeminiConfig config;
    config.baseUrl = server.baseUrl();
    config.apiKey = server.options().apiKey;
    config.model = server.options().models.first();
    config.filePollInterval = std::chrono::milliseconds(200);
    TriageOptions options;
    options.pipelined = pipelined;
    server.resetCounters();
    TriageEngine engine(config, store->get());
    QElapsedTimer timer;
    Measured m;
    options.progress = [&](const TriageProgress &p) {
        if (p.stage == TriageProgress::Stage::Judging && m.readSeconds == 0)
            m.readSeconds = double(timer.elapsed()) / 1000.0;
    };
    timer.start();
    m.run = engine.run(items, options);
    m.seconds = double(timer.elapsed()) / 1000.0;
    m.stats = server.stats();
    return m;
}

// The run with the median wall time (the upper one of the middle two for an even count).
Measured medianRun(std::vector<Measured> runs)
{
    std::sort(runs.begin(), runs.end(), [](const Measured &a, const Measured &b) { return a.seconds < b.seconds; });
    return runs[runs.size() / 2];
}

QString mb(double bytes) { return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 2); }
QString kb(double bytes) { return QStringLiteral("%1 KB").arg(bytes / 1e3, 0, 'f', 0); }

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCommandLineParser parser;
    const QCommandLineOption photosOpt(QStringLiteral("photos"), QStringLiteral("Photos (default 52)."), QStringLiteral("N"), QStringLiteral("52"));
    const QCommandLineOption videosOpt(QStringLiteral("videos"), QStringLiteral("Videos (default 8)."), QStringLiteral("N"), QStringLiteral("8"));
    const QCommandLineOption genOpt(QStringLiteral("generate-latency"), QStringLiteral("ms per generateContent (default 2000)."), QStringLiteral("MS"), QStringLiteral("2000"));
    const QCommandLineOption upOpt(QStringLiteral("upload-latency"), QStringLiteral("ms per upload (default 1000)."), QStringLiteral("MS"), QStringLiteral("1000"));
    const QCommandLineOption sizeOpt(QStringLiteral("photo-size"), QStringLiteral("Photo size (default 3024x2268)."), QStringLiteral("WxH"), QStringLiteral("3024x2268"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("Runs of each approach, median reported (default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    parser.addOptions({photosOpt, videosOpt, genOpt, upOpt, sizeOpt, runsOpt});
    parser.addHelpOption();
    parser.process(app);
    const int photos = parser.value(photosOpt).toInt();
    const int videos = parser.value(videosOpt).toInt();
    const int runs = std::max(1, parser.value(runsOpt).toInt());
    const QStringList wh = parser.value(sizeOpt).split(u'x');
    const QSize photoSize(wh.value(0).toInt(), wh.value(1).toInt());
    if (photoSize.isEmpty()) {
        std::fprintf(stderr, "--photo-size takes WIDTHxHEIGHT\n");
        return 2;
    }

    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("media"));
    QDir().mkpath(folder);
    std::printf("generating %d photos (%dx%d JPEG) and %d videos (4 s 960x540 H.264)...\n", photos,
                photoSize.width(), photoSize.height(), videos);
    std::fflush(stdout);
    QList<int> seeds;
    for (int i = 1; i <= photos; ++i)
        seeds << i;
    const QList<bool> written = QtConcurrent::blockingMapped<QList<bool>>(seeds, [&](int i) {
        return writePhoto(QDir(folder).filePath(QStringLiteral("IMG_%1.jpg").arg(1000 + i)), i, photoSize);
    });
    if (written.contains(false)) {
        std::fprintf(stderr, "cannot write the test photos into %s\n", qPrintable(folder));
        return 2;
    }
    for (int i = 1; i <= videos; ++i)
        if (!writeVideo(QDir(folder).filePath(QStringLiteral("VID_%1.mp4").arg(2000 + i)), i)) {
            std::fprintf(stderr, "ffmpeg is needed to generate the test videos\n");
            return 2;
        }
    const std::vector<MediaItem> items = FolderScanner().scanFolder(folder);
    if (int(items.size()) != photos + videos) {
        std::fprintf(stderr, "the scan found %zu items, %d were written\n", items.size(), photos + videos);
        return 2;
    }

    fakes::FakeGeminiOptions fo;
    fo.generateLatencyMs = parser.value(genOpt).toInt();
    fo.uploadLatencyMs = parser.value(upOpt).toInt();
    fo.recordMedia = false;
    fakes::FakeGeminiServer server(fo);
    if (!server.start())
        return 2;

    // Both runs read warm files: one untimed pass puts them in the page cache.
    for (const MediaItem &item : items) {
        QFile f(item.path);
        if (f.open(QIODevice::ReadOnly))
            while (!f.read(1 << 20).isEmpty()) {}
    }

    const QString store = dir.filePath(QStringLiteral("verdicts.sqlite"));
    const int n = int(items.size());
    // A run that failed items, or judged fewer than it was given, is reported, never timed as fast.
    auto errors = [n](const TriageRun &run) {
        int bad = n - int(run.items.size());
        for (const TriageItemResult &r : run.items)
            bad += r.verdict == VerdictKind::Error ? 1 : 0;
        return bad;
    };
    // Both approaches in every round (interleaved, so load from others hits both alike); medians.
    std::vector<Measured> bases, pipes;
    for (int round = 1; round <= runs; ++round) {
        std::printf("round %d of %d: sequential baseline (prepare all, then one batch after another)...\n", round, runs);
        std::fflush(stdout);
        bases.push_back(measure(items, server, store, false));
        std::printf("round %d of %d: pipelined engine...\n", round, runs);
        std::fflush(stdout);
        pipes.push_back(measure(items, server, store, true));
        for (const Measured *m : {&bases.back(), &pipes.back()})
            if (errors(m->run) > 0) {
                std::printf("FAILED: %d of %d items without a verdict in round %d (%s)\n", errors(m->run), n, round,
                            m == &bases.back() ? "baseline" : "pipelined");
                for (const TriageItemResult &r : m->run.items)
                    if (r.verdict == VerdictKind::Error) {
                        std::printf("  e.g. %s: %s\n", qPrintable(r.path), qPrintable(r.errorMessage()));
                        break;
                    }
                return 1;
            }
    }
    const Measured base = medianRun(bases);
    const Measured pipe = medianRun(pipes);
    double load[1] = {0};
    getloadavg(load, 1);
    std::printf("\nitems: %d (%d photos, %d videos); latency %d ms per generateContent, %d ms per upload; "
                "%d cores, load average %.1f\n",
                n, photos, videos, fo.generateLatencyMs, fo.uploadLatencyMs, QThread::idealThreadCount(), load[0]);
    std::printf("sequential baseline: %6.1f s  (of which %.1f s reading+hashing; %d generateContent, %d uploads, %d errors)\n", base.seconds, base.readSeconds,
                base.stats.generateCalls, base.stats.uploadsFinished, errors(base.run));
    std::printf("pipelined engine:    %6.1f s  (of which %.1f s reading+hashing; %d generateContent, %d uploads, %d errors, up to %d requests in flight)\n",
                pipe.seconds, pipe.readSeconds, pipe.stats.generateCalls, pipe.stats.uploadsFinished, errors(pipe.run), pipe.stats.maxConcurrentGenerate);
    const double ratio = pipe.seconds / base.seconds;
    std::printf("ratio: %.2f x the baseline, medians of %d runs each (target <= 0.50: %s)\n", ratio, runs,
                ratio <= 0.5 ? "met" : "NOT met");
    const int sent = std::max(1, pipe.run.sentItems);
    std::printf("uploaded per item: %s vs original %s (%.1f %%); total %s of %s\n",
                qPrintable(kb(double(pipe.run.sentBytes) / sent)), qPrintable(mb(double(pipe.run.sentOriginalBytes) / sent)),
                100.0 * double(pipe.run.sentBytes) / double(std::max<qint64>(1, pipe.run.sentOriginalBytes)),
                qPrintable(mb(double(pipe.run.sentBytes))), qPrintable(mb(double(pipe.run.sentOriginalBytes))));
    std::printf("tokens (fake's usage): %lld prompt + %lld output in %d requests\n",
                static_cast<long long>(pipe.run.usage.promptTokens), static_cast<long long>(pipe.run.usage.outputTokens), pipe.run.usage.requests);
    return errors(pipe.run) == 0 && errors(base.run) == 0 ? 0 : 1;
}
