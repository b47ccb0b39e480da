// Desktop app benchmark: opens a folder of N generated photos (default 5,000) in the real main
// window and measures what the person feels:
//   - time from "open folder" to the first screen of thumbnails (goal: under 1 s),
//   - the longest the GUI thread went without processing events (stall monitor, goal: < 50 ms)
//     while scanning, thumbnailing the first screen and then scrolling through the whole grid.
// Then the same with real-size photos (--large N 12 MP JPEGs with detail, and the shared test
// media's phone photos). Every thumbnail must be delivered: a failure fails the benchmark.
// The thumbnail cache is in a temporary folder, so it is always cold.
//   app-benchmark [--count N] [--large N] [--dir DIR] [--triage]   (--triage: offline engine run, stall measured meanwhile)
// Run it offscreen (QT_QPA_PLATFORM=offscreen) or under Xvfb.

#include "MainWindow.h"
#include "MediaGridView.h"
#include "QualityScenes.h"
#include "ThumbnailScheduler.h"
#include "thumbs/ThumbnailService.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QtConcurrent>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace {

// Ticks every 2 ms on the GUI thread; a gap between ticks is time the event loop was busy.
class StallMonitor : public QObject
{
public:
    StallMonitor()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(2);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0) {
                const double gapMs = (now - m_last) / 1e6;
                m_worst = std::max(m_worst, gapMs);
                if (gapMs > 50)
                    ++m_over50;
            }
            m_last = now;
        });
    }
    void start(const char *phase)
    {
        m_phase = phase;
        m_worst = 0;
        m_over50 = 0;
        m_last = 0;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double worst() const { return m_worst; }
    int over50() const { return m_over50; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_worst = 0;
    int m_over50 = 0;
    const char *m_phase = "";
};

bool generate(const QString &dir, int count)
{
    // Phone-like names and small but real JPEGs (decoding is the thumbnailer's real work).
    const QList<bool> saved = QtConcurrent::blockingMapped<QList<bool>>(QList<int>([count] {
        QList<int> l;
        for (int i = 0; i < count; ++i)
            l << i;
        return l;
    }()), [&dir](int i) {
        QImage image(640, 480, QImage::Format_RGB32);
        image.fill(QColor::fromHsv((i * 37) % 360, 120 + i % 100, 90 + i % 150));
        QPainter p(&image);
        p.fillRect((i * 13) % 400, (i * 7) % 300, 200, 150, QColor::fromHsv((i * 91) % 360, 220, 200));
        p.end();
        return image.save(QStringLiteral("%1/IMG_%2.jpg").arg(dir).arg(i + 1, 5, 10, QLatin1Char('0')), "JPEG", 85);
    });
    return !saved.contains(false);
}

// Real-size photos: 12 MP (4000x3000) JPEGs with texture, detail and sensor noise, so that decoding
// costs what a phone's photo costs (a flat fill decodes and scales far faster), plus the real
// photos of ../shared/testdata/media (JPEG and HEIC from phones) when present. A few distinct
// pictures are copied under many names: the cache is keyed by path, so each is thumbnailed anew.
bool generateLarge(const QString &dir, int count, const QString &realMedia)
{
    constexpr int kDistinct = 4;
    const QList<bool> saved = QtConcurrent::blockingMapped<QList<bool>>(QList<int>{0, 1, 2, 3}, [&dir](int i) {
        const QImage scene = mt::test::withNoise(mt::test::texturedScene(4000, 3000, quint32(500 + i)), 2.0, quint32(i));
        return scene.save(QStringLiteral("%1/IMG_L%2.jpg").arg(dir).arg(i + 1, 5, 10, QLatin1Char('0')), "JPEG", 90);
    });
    if (saved.contains(false))
        return false;
    for (int i = kDistinct; i < count; ++i)
        if (!QFile::copy(QStringLiteral("%1/IMG_L%2.jpg").arg(dir).arg(i % kDistinct + 1, 5, 10, QLatin1Char('0')),
                         QStringLiteral("%1/IMG_L%2.jpg").arg(dir).arg(i + 1, 5, 10, QLatin1Char('0'))))
            return false;
    const QDir real(realMedia);
    for (const QFileInfo &f : real.entryInfoList({QStringLiteral("*.jpg"), QStringLiteral("*.heic")}, QDir::Files))
        if (!f.fileName().contains(QLatin1String("truncated")) && !QFile::copy(f.filePath(), QDir(dir).filePath(f.fileName())))
            return false;
    return true;
}

// Counts what the app's thumbnail service delivers, so a run whose thumbnails failed is reported
// instead of looking fast.
struct ThumbnailTally {
    int ready = 0;
    QStringList failed;
};

struct FolderRun {
    double firstMs = 0;
    double worstStall = 0;
};

// Opens `media` in the window, waits for the first screen of thumbnails, then scrolls through the
// whole grid a page every 40 ms; prints what the person feels. nullopt (with the reason printed)
// when the folder or its thumbnails did not load completely.
std::optional<FolderRun> openAndScroll(QApplication &app, mt::app::MainWindow &window, StallMonitor &monitor,
                                       const ThumbnailTally &tally, const QString &media, int expected, const char *label)
{
    monitor.start("open");
    QSignalSpy loaded(&window, &mt::app::MainWindow::folderLoaded);
    QSignalSpy firstScreen(window.thumbnailScheduler(), &mt::app::ThumbnailScheduler::firstScreenComplete);
    const int readyBefore = tally.ready;
    QElapsedTimer open;
    open.start();
    window.openFolder(media);
    if (!loaded.wait(60000)) {
        std::printf("FAILED: %s: folder never loaded\n", label);
        return std::nullopt;
    }
    const double scanMs = open.elapsed();
    if (!firstScreen.wait(120000)) {
        std::printf("FAILED: %s: first screen of thumbnails never completed\n", label);
        return std::nullopt;
    }
    FolderRun run;
    run.firstMs = open.elapsed();
    const double openStall = monitor.worst();
    const int openOver = monitor.over50();
    const int rows = window.grid()->model() ? window.grid()->model()->rowCount() : 0;
    const int firstScreenThumbs = tally.ready - readyBefore;
    std::printf("%s: items in grid: %d; thumbnails on the first screen: %d\n", label, rows, firstScreenThumbs);
    std::printf("%s: scan + model: %.0f ms; first screen of thumbnails: %.0f ms (goal < 1000 ms)\n", label, scanMs, run.firstMs);
    std::printf("%s: worst GUI stall while opening: %.1f ms (%d over 50 ms)\n", label, openStall, openOver);
    if (rows != expected || firstScreenThumbs <= 0 || !tally.failed.isEmpty()) {
        std::printf("FAILED: %s: %d of %d items in the grid, %d thumbnails delivered, %lld failed%s%s\n", label, rows,
                    expected, firstScreenThumbs, qlonglong(tally.failed.size()), tally.failed.isEmpty() ? "" : ", e.g. ",
                    qPrintable(tally.failed.value(0)));
        return std::nullopt;
    }

    monitor.start("scroll");
    QScrollBar *bar = window.grid()->verticalScrollBar();
    QElapsedTimer scroll;
    scroll.start();
    int steps = 0;
    while (bar->value() < bar->maximum() && scroll.elapsed() < 20000) {
        bar->setValue(bar->value() + bar->pageStep());
        ++steps;
        QElapsedTimer wait;
        wait.start();
        while (wait.elapsed() < 40)
            app.processEvents(QEventLoop::AllEvents, 5);
    }
    monitor.stop();
    std::printf("%s: scrolled %d pages in %.1f s; worst GUI stall while scrolling: %.1f ms (%d over 50 ms); "
                "%d thumbnails delivered in all\n",
                label, steps, scroll.elapsed() / 1000.0, monitor.worst(), monitor.over50(), tally.ready - readyBefore);
    if (!tally.failed.isEmpty()) {
        std::printf("FAILED: %s: %lld thumbnails failed, e.g. %s\n", label, qlonglong(tally.failed.size()),
                    qPrintable(tally.failed.first()));
        return std::nullopt;
    }
    run.worstStall = std::max(openStall, monitor.worst());
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress lines as they happen, even into a file
    QTemporaryDir root;
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"}) {
        const QString dir = root.filePath(QString::fromLatin1(var));
        QDir().mkpath(dir);
        qputenv(var, QFile::encodeName(dir));
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MediaTriageBench"));
    QApplication::setApplicationName(QStringLiteral("app-benchmark"));
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("Small (640x480) files to generate."), QStringLiteral("N"), QStringLiteral("5000"));
    QCommandLineOption largeOption(QStringLiteral("large"),
                                   QStringLiteral("12 MP photos (4000x3000, with detail) for a second folder, plus the real "
                                                  "photos of the shared test media; 0 leaves it out (default 48)."),
                                   QStringLiteral("N"), QStringLiteral("48"));
    QCommandLineOption dirOption(QStringLiteral("dir"),
                                 QStringLiteral("Generate into (or reuse) this folder instead of a temporary one."), QStringLiteral("DIR"));
    QCommandLineOption triageOption(QStringLiteral("triage"),
                                    QStringLiteral("Also triage the folder with the offline engine and watch the GUI meanwhile."));
    parser.addOption(countOption);
    parser.addOption(largeOption);
    parser.addOption(dirOption);
    parser.addOption(triageOption);
    parser.process(app);
    const int count = parser.value(countOption).toInt();
    const int large = parser.value(largeOption).toInt();

    const QString media = parser.isSet(dirOption) ? parser.value(dirOption) : root.filePath(QStringLiteral("media"));
    QDir().mkpath(media);
    QElapsedTimer t;
    t.start();
    if (QDir(media).entryList(QDir::Files).size() != count) {
        if (!generate(media, count)) {
            std::printf("FAILED: cannot write the generated photos into %s\n", qPrintable(media));
            return 1;
        }
        std::printf("generated %d JPEGs (640x480) in %.1f s\n", count, t.elapsed() / 1000.0);
    } else {
        std::printf("reusing %d files in %s (thumbnail cache still cold)\n", count, qPrintable(media));
    }
    const QString largeMedia = root.filePath(QStringLiteral("large"));
    int largeCount = 0;
    if (large > 0) {
        QDir().mkpath(largeMedia);
        t.restart();
        if (!generateLarge(largeMedia, large, QStringLiteral(MT_SHARED_MEDIA_DIR))) {
            std::printf("FAILED: cannot write the 12 MP photos into %s\n", qPrintable(largeMedia));
            return 1;
        }
        largeCount = int(QDir(largeMedia).entryList(QDir::Files).size());
        std::printf("generated %d JPEGs (4000x3000) + %d real photos in %.1f s\n", large, largeCount - large, t.elapsed() / 1000.0);
    }

    mt::app::MainWindow window;
    window.resize(1280, 800);
    window.show();
    QThread::msleep(200);
    app.processEvents();

    ThumbnailTally tally;
    auto *service = window.findChild<mt::ThumbnailService *>();
    if (!service) {
        std::printf("FAILED: the main window has no ThumbnailService to watch\n");
        return 1;
    }
    QObject::connect(service, &mt::ThumbnailService::thumbnailReady, [&tally](const QString &, int, const QImage &image) {
        if (!image.isNull())
            ++tally.ready;
    });
    QObject::connect(service, &mt::ThumbnailService::thumbnailFailed, [&tally](const QString &path, int, const QString &message) {
        tally.failed << path + QStringLiteral(": ") + message;
    });

    StallMonitor monitor;
    const auto small = openAndScroll(app, window, monitor, tally, media, count, "640x480");
    if (!small)
        return 1;
    double worst = small->worstStall;
    std::optional<FolderRun> big;
    if (large > 0) {
        big = openAndScroll(app, window, monitor, tally, largeMedia, largeCount, "12 MP");
        if (!big)
            return 1;
        worst = std::max(worst, big->worstStall);
    }

    if (parser.isSet(triageOption)) {
        if (big) { // triage runs on the small folder, as before
            QSignalSpy reloaded(&window, &mt::app::MainWindow::folderLoaded);
            window.openFolder(media);
            if (!reloaded.wait(60000)) {
                std::printf("FAILED: the small folder did not load again\n");
                return 1;
            }
        }
        QSettings().setValue(QStringLiteral("triage/engine"), 2); // offline: no key, no network
        QSignalSpy done(&window, &mt::app::MainWindow::triageFinished);
        monitor.start("triage");
        QElapsedTimer triage;
        triage.start();
        window.startTriage();
        if (!done.wait(600000)) {
            std::printf("triage did not finish\n");
            return 1;
        }
        // Let the verdicts reach the views before stopping the monitor.
        QElapsedTimer settle;
        settle.start();
        while (settle.elapsed() < 300)
            app.processEvents(QEventLoop::AllEvents, 5);
        monitor.stop();
        std::printf("offline triage of %d items: %.1f s; worst GUI stall while triaging: %.1f ms (%d over 50 ms)\n", count,
                    triage.elapsed() / 1000.0, monitor.worst(), monitor.over50());
        worst = std::max(worst, monitor.worst());
    }
    std::printf("RESULT time_to_first_thumbnails_ms=%.0f time_to_first_12mp_thumbnails_ms=%.0f worst_stall_ms=%.1f\n",
                small->firstMs, big ? big->firstMs : -1.0, worst);
    return 0;
}
