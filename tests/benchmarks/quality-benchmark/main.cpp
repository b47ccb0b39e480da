// Quality benchmark: accuracy of the offline engine's "discard" on a labelled set, next to a naive
// three-threshold rule, and its speed on 4032×3024 JPEGs (scaled decode included).
//
// The labelled set: every original (real photos from ../shared/testdata/media that decode at a
// useful size, plus generated scenes with texture and detail) is "keep", and so are its
// legitimate variations; severe degradations are "discard". Each sample gets sensor noise and a
// JPEG round trip, as a phone would deliver it.
#include "QualityScenes.h"

#include "media/FolderScanner.h"
#include "quality/LumaPlane.h"
#include "quality/OfflineJudge.h"
#include "quality/SignalExtractor.h"
#include "thumbs/ThumbnailGenerator.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <vector>

using namespace mt;
using namespace mt::quality;

namespace {

constexpr int kWorkEdge = 1024;

struct Variant {
    const char *name;
    bool discard;
    std::function<QImage(const QImage &)> make;
};

QImage fit(const QImage &image, int edge)
{
    if (std::max(image.width(), image.height()) <= edge)
        return image;
    return image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

std::vector<Variant> variants()
{
    using namespace mt::test;
    return {
        {"original", false, [](const QImage &i) { return i; }},
        {"slightly-soft", false, [](const QImage &i) { return defocus(i, 0.003); }},
        {"minus-1.5ev", false, [](const QImage &i) { return exposure(i, -1.5); }},
        {"high-key", false, [](const QImage &i) { return highKey(i); }},
        {"low-key", false, [](const QImage &i) { return lowKey(i); }},
        {"portrait-mode", false, [](const QImage &i) { return portraitMode(i, 0.03); }},
        {"defocus-strong", true, [](const QImage &i) { return defocus(i, 0.015); }},
        {"defocus-very-strong", true, [](const QImage &i) { return defocus(i, 0.03); }},
        {"motion-blur-strong", true, [](const QImage &i) { return motionBlur(i, 0.04); }},
        {"minus-4ev", true, [](const QImage &i) { return exposure(i, -4); }},
        {"minus-5ev", true, [](const QImage &i) { return exposure(i, -5); }},
        {"plus-4ev-blown", true, [](const QImage &i) { return exposure(i, 4); }},
        {"black-frame", true, [](const QImage &i) { return blackFrame(i.width(), i.height(), quint32(i.width())); }},
        {"uniform-frame", true, [](const QImage &i) {
             // Floor, pocket, ceiling: one colour taken from the scene, at its brightness.
             const QImage tiny = i.scaled(1, 1, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
             return uniformFrame(i.width(), i.height(), QColor(tiny.pixel(0, 0)), quint32(i.height()));
         }},
    };
}

QImage asDelivered(const QImage &image, quint32 seed)
{
    QImage noisy = mt::test::withNoise(image, 1.5, seed);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    noisy.save(&buffer, "JPEG", 90);
    QImage decoded;
    decoded.loadFromData(bytes, "JPEG");
    return decoded;
}

// The naive three-threshold rule's two measurements: mean brightness, and the variance of the
// Laplacian on the analysis decode (the common "blur detection" measure).
struct NaiveFeatures {
    double mean = 0;
    double laplacianVariance = 0;
};

NaiveFeatures naiveFeatures(const QImage &image)
{
    const QImage small = fit(image, SignalExtractor::kAnalysisEdge).convertToFormat(QImage::Format_RGB32);
    const LumaPlane luma = LumaPlane::fromImage(small);
    double sum = 0, sumSq = 0, total = 0;
    qint64 n = 0;
    for (float v : luma.values)
        total += v;
    for (int y = 1; y < luma.height - 1; ++y)
        for (int x = 1; x < luma.width - 1; ++x) {
            const double lap = luma.at(x - 1, y) + luma.at(x + 1, y) + luma.at(x, y - 1) + luma.at(x, y + 1) - 4 * luma.at(x, y);
            sum += lap;
            sumSq += lap * lap;
            ++n;
        }
    NaiveFeatures f;
    f.mean = luma.values.empty() ? 0 : total / double(luma.values.size()) / 255.0;
    f.laplacianVariance = n ? sumSq / n - (sum / n) * (sum / n) : 0;
    return f;
}

// Textbook defaults: too dark under 15% mean, too bright over 85%, blurry under 100.
struct NaiveRule {
    double dark = 0.15, bright = 0.85, blur = 100;
    bool discard(const NaiveFeatures &f) const { return f.mean < dark || f.mean > bright || f.laplacianVariance < blur; }
};

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 0) : QStringLiteral("?");
}

struct Tally {
    int total = 0;
    int oursDiscarded = 0;
    int naiveDiscarded = 0;
};

struct Sample {
    QString origin;
    int variant;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Offline quality engine: accuracy and speed."));
    parser.addHelpOption();
    const QCommandLineOption scenes(QStringLiteral("scenes"), QStringLiteral("Generated scenes (default 30)."),
                                    QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption speedFiles(QStringLiteral("speed-files"),
                                        QStringLiteral("4032×3024 JPEGs for the speed run (default 48, 0 skips it)."),
                                        QStringLiteral("N"), QStringLiteral("48"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("First seed of the generated scenes (default 1000; the thresholds were "
                                                 "chosen looking at seeds 1000-1011, so other seeds are held out)."),
                                  QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption dump(QStringLiteral("dump"), QStringLiteral("Print every sample's key measured."));
    const QCommandLineOption media(QStringLiteral("media"), QStringLiteral("Real photos folder."), QStringLiteral("DIR"),
                                   QStringLiteral(MT_SHARED_MEDIA_DIR));
    const QCommandLineOption speedRunsOption(QStringLiteral("speed-runs"),
                                             QStringLiteral("Timed runs over the speed files, median reported (default 3)."),
                                             QStringLiteral("N"), QStringLiteral("3"));
    parser.addOption(speedRunsOption);
    parser.addOption(scenes);
    parser.addOption(speedFiles);
    parser.addOption(dump);
    parser.addOption(seed);
    parser.addOption(media);
    parser.process(app);

    // Originals. Real photos: those that decode to at least 400 px. The Samsung sample is left
    // out on purpose: it is a photo of a blank grey wall — an accidental frame, not a keeper.
    std::vector<std::pair<QString, QImage>> originals;
    const QDir mediaDir(parser.value(media));
    for (const QString &name : mediaDir.entryList(QDir::Files, QDir::Name)) {
        if (name.contains(QLatin1String("samsung")))
            continue;
        auto image = ThumbnailGenerator::generate(mediaDir.filePath(name), kWorkEdge);
        if (!image || std::max(image->width(), image->height()) < 400)
            continue;
        originals.emplace_back(QStringLiteral("real:") + name, *image);
    }
    const int realCount = int(originals.size());
    for (int i = 0; i < parser.value(scenes).toInt(); ++i)
        originals.emplace_back(QStringLiteral("scene:%1").arg(i), mt::test::texturedScene(kWorkEdge, kWorkEdge * 3 / 4, quint32(parser.value(seed).toInt() + i)));
    std::printf("Labelled set: %d real photos + %d generated scenes, %zu variants each\n", realCount,
                int(originals.size()) - realCount, variants().size());

    const std::vector<Variant> vs = variants();
    std::vector<Sample> samples;
    for (const auto &o : originals)
        for (int v = 0; v < int(vs.size()); ++v)
            samples.push_back({o.first, v});
    std::map<QString, QImage> originalByName(originals.begin(), originals.end());
    const OfflineJudge judge;
    struct Outcome {
        bool ours;
        NaiveFeatures naive;
        LocalVerdict verdict;
        ImageSignals measured;
    };
    const QList<Outcome> outcomes = QtConcurrent::blockingMapped<QList<Outcome>>(samples, [&](const Sample &s) {
        const QImage image = asDelivered(vs[size_t(s.variant)].make(originalByName.at(s.origin)), quint32(qHash(s.origin) + s.variant));
        const ImageSignals measured = SignalExtractor::measure(image);
        const LocalVerdict verdict = judge.judgePhoto(measured);
        return Outcome{verdict.verdict == VerdictKind::Discard, naiveFeatures(image), verdict, measured};
    });

    const NaiveRule naiveRule;
    // The naive rule at its best: thresholds placed, with hindsight, just outside the keep
    // samples, so it never discards a keeper (P = 1) — an upper bound on what the three
    // thresholds can recall on this set.
    NaiveRule tuned{1.0, 0.0, 1e18};
    for (size_t i = 0; i < samples.size(); ++i) {
        if (vs[size_t(samples[i].variant)].discard)
            continue;
        const NaiveFeatures &f = outcomes[qsizetype(i)].naive;
        tuned.dark = std::min(tuned.dark, f.mean - 1e-6);
        tuned.bright = std::max(tuned.bright, f.mean + 1e-6);
        tuned.blur = std::min(tuned.blur, f.laplacianVariance - 1e-6);
    }
    int ttp = 0, tfn = 0;
    for (size_t i = 0; i < samples.size(); ++i)
        if (vs[size_t(samples[i].variant)].discard) {
            const bool d = tuned.discard(outcomes[qsizetype(i)].naive);
            ttp += d;
            tfn += !d;
        }
    std::vector<Tally> tallies(vs.size());
    std::map<QString, std::pair<int, int>> ruleHits; // rule -> (discards, correct)
    int tp = 0, fp = 0, fn = 0, ntp = 0, nfp = 0, nfn = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
        const Variant &v = vs[size_t(samples[i].variant)];
        const Outcome &o = outcomes[qsizetype(i)];
        Tally &t = tallies[size_t(samples[i].variant)];
        ++t.total;
        t.oursDiscarded += o.ours;
        const bool naive = naiveRule.discard(o.naive);
        t.naiveDiscarded += naive;
        tp += o.ours && v.discard;
        fp += o.ours && !v.discard;
        fn += !o.ours && v.discard;
        ntp += naive && v.discard;
        nfp += naive && !v.discard;
        nfn += !naive && v.discard;
        if (o.ours) {
            auto &hit = ruleHits[o.verdict.rule];
            ++hit.first;
            hit.second += v.discard;
        }
        const bool wrong = o.ours != v.discard;
        if (parser.isSet(dump) || wrong) {
            const ImageSignals &s = o.measured;
            std::printf("%s %-28s %-20s mean %.3f p1 %.3f p50 %.3f p99 %.3f black %.3f white %.3f sharp %5.1f reg %5.1f sharpT %.2f detail %.2f edges %.4f contrast %.3f motion %.2f -> %s (%s, %.2f)\n",
                        wrong ? "WRONG" : "     ", qPrintable(samples[i].origin), v.name, s.meanLuma, s.p1, s.p50, s.p99, s.nearBlack,
                        s.nearWhite, s.sharpness, s.regionalSharpness, s.sharpTileFraction, s.detailFraction, s.edgeDensity,
                        s.contrast, s.motionBlur, qPrintable(verdictName(o.verdict.verdict)), qPrintable(o.verdict.rule),
                        o.verdict.confidence);
        }
    }

    std::printf("\n%-22s %-8s %6s %18s %18s\n", "class", "label", "n", "ours: discarded", "naive: discarded");
    for (size_t v = 0; v < vs.size(); ++v)
        std::printf("%-22s %-8s %6d %11d (%3.0f%%) %11d (%3.0f%%)\n", vs[v].name, vs[v].discard ? "discard" : "keep",
                    tallies[v].total, tallies[v].oursDiscarded, 100.0 * tallies[v].oursDiscarded / std::max(1, tallies[v].total),
                    tallies[v].naiveDiscarded, 100.0 * tallies[v].naiveDiscarded / std::max(1, tallies[v].total));
    std::printf("\nPer discard class: recall (ours / naive)\n");
    for (size_t v = 0; v < vs.size(); ++v)
        if (vs[v].discard)
            std::printf("  %-22s R %.3f / %.3f\n", vs[v].name, double(tallies[v].oursDiscarded) / tallies[v].total,
                        double(tallies[v].naiveDiscarded) / tallies[v].total);
    std::printf("Per keep class: wrongly discarded (ours / naive)\n");
    for (size_t v = 0; v < vs.size(); ++v)
        if (!vs[v].discard)
            std::printf("  %-22s %d / %d of %d\n", vs[v].name, tallies[v].oursDiscarded, tallies[v].naiveDiscarded, tallies[v].total);
    std::printf("Precision of each discard reason (ours)\n");
    for (const auto &[rule, hit] : ruleHits)
        std::printf("  %-22s P %.3f (%d of %d)\n", qPrintable(rule), double(hit.second) / hit.first, hit.second, hit.first);
    const double p = tp + fp ? double(tp) / (tp + fp) : 1.0, r = tp + fn ? double(tp) / (tp + fn) : 1.0;
    const double np = ntp + nfp ? double(ntp) / (ntp + nfp) : 1.0, nr = ntp + nfn ? double(ntp) / (ntp + nfn) : 1.0;
    std::printf("\nDiscard overall   ours:  P %.3f  R %.3f   (targets P >= 0.98, R >= 0.95) %s\n", p, r,
                p >= 0.98 && r >= 0.95 ? "PASS" : "FAIL");
    std::printf("                  naive (mean < 0.15 or > 0.85, Laplacian variance < 100): P %.3f  R %.3f\n", np, nr);
    std::printf("                  naive tuned with hindsight (mean < %.3f or > %.3f, variance < %.1f): P 1.000  R %.3f\n",
                tuned.dark, tuned.bright, tuned.blur, ttp + tfn ? double(ttp) / (ttp + tfn) : 1.0);

    const int speedCount = parser.value(speedFiles).toInt();
    const int speedRuns = std::max(1, parser.value(speedRunsOption).toInt());
    bool speedOk = true;
    if (speedCount > 0) {
        // Distinct 4032×3024 scenes written once (generation is slow) and reused across runs.
        const QString dir = QDir::temp().filePath(QStringLiteral("mediatriage-quality-bench-4032"));
        QDir().mkpath(dir);
        constexpr int kDistinct = 6;
        for (int i = 0; i < speedCount; ++i) {
            const QString path = QDir(dir).filePath(QStringLiteral("IMG_%1.jpg").arg(i, 4, 10, QLatin1Char('0')));
            if (QFileInfo::exists(path))
                continue;
            const QString source = QDir(dir).filePath(QStringLiteral("IMG_%1.jpg").arg(i % kDistinct, 4, 10, QLatin1Char('0')));
            if (i >= kDistinct && QFileInfo::exists(source)) {
                if (!QFile::copy(source, path)) {
                    std::printf("cannot copy %s to %s\n", qPrintable(source), qPrintable(path));
                    return 1;
                }
                continue;
            }
            // Written under another name first: an interrupted run leaves no truncated photo behind.
            const QString partial = path + QStringLiteral(".part");
            if (!mt::test::withNoise(mt::test::texturedScene(4032, 3024, quint32(7000 + i)), 2.0, quint32(i)).save(partial, "JPEG", 92)
                || !QFile::rename(partial, path)) {
                std::printf("cannot write %s\n", qPrintable(path));
                return 1;
            }
        }
        const std::vector<MediaItem> items = FolderScanner(ScanOptions{false}).scanPaths({dir});
        std::vector<MediaItem> subset(items.begin(), items.begin() + std::min<size_t>(items.size(), size_t(speedCount)));
        if (int(subset.size()) != speedCount) {
            std::printf("\nSpeed: FAIL: %zu of %d photos found in %s\n", subset.size(), speedCount, qPrintable(dir));
            return 1;
        }
        // The measured rate: wall clock over whole runs, median of several, on whatever the machine
        // is doing (the load average is printed with it). Every photo must be judged: one that
        // fails is reported and fails the benchmark, it does not make the run look fast.
        const int cores = QThreadPool::globalInstance()->maxThreadCount();
        std::vector<double> rates;
        qsizetype kept = 0;
        for (int run = 0; run < speedRuns; ++run) {
            QElapsedTimer timer;
            timer.start();
            const QList<int> ok = QtConcurrent::blockingMapped<QList<int>>(subset, [&](const MediaItem &item) {
                auto s = SignalExtractor::measureFile(item);
                return s ? int(judge.judgePhoto(*s).verdict == VerdictKind::Keep) : -1;
            });
            const double seconds = timer.nsecsElapsed() / 1e9;
            for (qsizetype i = 0; i < ok.size(); ++i)
                if (ok[i] < 0) {
                    std::printf("\nSpeed: FAIL: %s could not be measured\n", qPrintable(subset[size_t(i)].path));
                    return 1;
                }
            kept = ok.count(1);
            rates.push_back(double(subset.size()) / seconds);
            std::printf("speed run %d: %zu photos in %.2f s wall = %.1f photos/s (load average %s)\n", run + 1,
                        subset.size(), seconds, rates.back(), qPrintable(loadAverage()));
        }
        std::sort(rates.begin(), rates.end());
        const double rate = rates.size() % 2 ? rates[rates.size() / 2]
                                             : (rates[rates.size() / 2 - 1] + rates[rates.size() / 2]) / 2;
        speedOk = rate >= 40.0;
        std::printf("\nSpeed: %zu JPEGs 4032x3024 on %d threads, median of %d runs: %.1f photos/s wall clock "
                    "(target >= 40) %s; kept %lld\n",
                    subset.size(), cores, speedRuns, rate, speedOk ? "PASS" : "FAIL", qlonglong(kept));
        // Where the time goes, on one thread.
        double decodeMs = 0, measureMs = 0;
        const size_t probe = std::min<size_t>(subset.size(), 12);
        for (size_t i = 0; i < probe; ++i) {
            QElapsedTimer t;
            t.start();
            auto image = ThumbnailGenerator::generate(subset[i], SignalExtractor::kAnalysisEdge);
            decodeMs += t.nsecsElapsed() / 1e6;
            t.restart();
            if (image)
                (void)SignalExtractor::measure(*image);
            measureMs += t.nsecsElapsed() / 1e6;
        }
        std::printf("One thread, wall clock: scaled decode %.1f ms + signals %.1f ms per photo\n", decodeMs / double(probe),
                    measureMs / double(probe));
    }
    return (p >= 0.98 && r >= 0.95 && speedOk) ? 0 : 1;
}
