// Grouping benchmark: time and peak memory of MediaGrouper (exact, edited, burst, similar) and of
// NearDuplicateGrouper alone (the grouping before group kinds) on the same photos.
//
// The photos are signals, not pixels: grouping never looks at pixels, and decoding 5,000 photos
// would measure the decoder. A folder is simulated as runs of 1–6 shots of one scene (a burst,
// repeats, a copy), each run a fresh random scene: per shot the 64- and 256-bit hashes of its
// scene with a few bits flipped, the scene's 16×16 fingerprint with noise, its colour histogram;
// capture times 0.2–90 s apart inside a run, minutes between runs; camera-style names with some
// "(1)" copies and IMG_E edits. Run once per grouper (peak memory is per process):
//   grouping-benchmark --grouper kinds|similar [--photos 5000]
#include "quality/MediaGrouper.h"
#include "quality/NearDuplicateGrouper.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>

#include <cstdio>
#include <vector>

using namespace mt;
using namespace mt::quality;

namespace {

struct Folder {
    std::vector<ImageSignals> signals_;
    std::vector<GroupCandidate> candidates;
};

ImageSignals sceneLike(const ImageSignals &scene, QRandomGenerator &rng, int flips)
{
    ImageSignals s = scene;
    for (int f = 0; f < flips; ++f) {
        s.perceptualHash ^= quint64(1) << rng.bounded(64);
        s.detailHash[size_t(rng.bounded(4))] ^= quint64(1) << rng.bounded(64);
    }
    for (auto &v : s.fingerprint)
        v = quint8(std::clamp(int(v) + rng.bounded(-3, 4), 0, 255));
    s.regionalSharpness = 20 + rng.bounded(40);
    return s;
}

ImageSignals randomScene(QRandomGenerator &rng)
{
    ImageSignals s;
    s.width = 480;
    s.height = 360;
    s.perceptualHash = rng.generate64();
    for (auto &h : s.detailHash)
        h = rng.generate64();
    for (auto &v : s.fingerprint)
        v = quint8(rng.bounded(256));
    float sum = 0;
    for (auto &c : s.colourHistogram)
        sum += (c = float(rng.generateDouble()));
    for (auto &c : s.colourHistogram)
        c /= sum;
    s.p50 = 0.45;
    return s;
}

Folder simulate(int photos)
{
    QRandomGenerator rng(2026);
    Folder f;
    f.signals_.reserve(size_t(photos)); // candidates point into it
    QDateTime at(QDate(2024, 5, 1), QTime(8, 0, 0));
    int number = 1000;
    while (int(f.signals_.size()) < photos) {
        const ImageSignals scene = randomScene(rng);
        const int run = std::min(1 + rng.bounded(6), photos - int(f.signals_.size()));
        for (int k = 0; k < run; ++k) {
            f.signals_.push_back(sceneLike(scene, rng, k == 0 ? 0 : rng.bounded(1, 8)));
            GroupCandidate c;
            const int kind = rng.bounded(20);
            const QString name = kind == 0 ? QStringLiteral("IMG_%1 (1).JPG").arg(number - 1)
                                 : kind == 1 ? QStringLiteral("IMG_E%1.JPG").arg(number - 1)
                                             : QStringLiteral("IMG_%1.JPG").arg(number++);
            c.looks.path = QStringLiteral("/trip/") + name;
            c.looks.imageSignals = &f.signals_.back();
            c.looks.capturedAt = at;
            c.looks.originalPixels = 4032 * 3024;
            c.subsecondTime = true;
            c.camera = QStringLiteral("Apple iPhone 15");
            c.metadataFields = 60;
            c.contentHash = QString::number(rng.generate64(), 16);
            f.candidates.push_back(std::move(c));
            at = at.addMSecs(rng.bounded(200, 90000));
        }
        at = at.addSecs(180 + rng.bounded(1800));
    }
    return f;
}

// Peak resident memory of this process in KiB, where the OS tells it in a file (Linux); -1 elsewhere.
long long peakKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption grouper(QStringLiteral("grouper"), QStringLiteral("kinds or similar"), QStringLiteral("G"),
                                     QStringLiteral("kinds"));
    const QCommandLineOption photos(QStringLiteral("photos"), QStringLiteral("how many"), QStringLiteral("N"),
                                    QStringLiteral("5000"));
    parser.addOption(grouper);
    parser.addOption(photos);
    parser.addHelpOption();
    parser.process(app);
    const Folder folder = simulate(parser.value(photos).toInt());
    const long long before = peakKib();
    QElapsedTimer timer;
    timer.start();
    int grouped = 0, groups = 0;
    if (parser.value(grouper) == QLatin1String("similar")) {
        std::vector<DuplicateCandidate> looks;
        for (const GroupCandidate &c : folder.candidates)
            looks.push_back(c.looks);
        for (const DuplicateMembership &m : NearDuplicateGrouper().group(looks)) {
            grouped += m.group >= 0;
            groups = std::max(groups, m.group + 1);
        }
    } else {
        for (const GroupAssignment &a : MediaGrouper().group(folder.candidates)) {
            grouped += a.id >= 0;
            groups = std::max(groups, a.id + 1);
        }
    }
    const qint64 ms = timer.elapsed();
    std::printf("%s: %zu photos, %d groups, %d grouped, %lld ms, peak RSS %lld KiB (%lld KiB before grouping)\n",
                qPrintable(parser.value(grouper)), folder.candidates.size(), groups, grouped, static_cast<long long>(ms),
                peakKib(), before);
    return 0;
}
