// Desktop app benchmark: opens a folder of N generated photos (default 5,000) in the real main
// window and measures what the person feels:
//   - time from "open folder" to the first screen of thumbnails (goal: under 1 s),
//   - the longest the GUI thread went without processing events (stall monitor, goal: < 50 ms)
//     while scanning, thumbnailing the first screen and then scrolling through the whole grid.
// The thumbnail cache is in a temporary folder, so it is always cold.
//   app-benchmark [--count N] [--dir DIR] [--triage]   (--triage: offline engine run, stall measured meanwhile)
// Run it offscreen (QT_QPA_PLATFORM=offscreen) or under Xvfb.

#include "MainWindow.h"
#include "MediaGridView.h"
#include "ThumbnailScheduler.h"

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

void generate(const QString &dir, int count)
{
    // Phone-like names and small but real JPEGs (decoding is the thumbnailer's real work).
    QtConcurrent::blockingMap(QList<int>([count] {
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
        image.save(QStringLiteral("%1/IMG_%2.jpg").arg(dir).arg(i + 1, 5, 10, QLatin1Char('0')), "JPEG", 85);
    });
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
    QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("Files to generate."), QStringLiteral("N"), QStringLiteral("5000"));
    QCommandLineOption dirOption(QStringLiteral("dir"),
                                 QStringLiteral("Generate into (or reuse) this folder instead of a temporary one."), QStringLiteral("DIR"));
    QCommandLineOption triageOption(QStringLiteral("triage"),
                                    QStringLiteral("Also triage the folder with the offline engine and watch the GUI meanwhile."));
    parser.addOption(countOption);
    parser.addOption(dirOption);
    parser.addOption(triageOption);
    parser.process(app);
    const int count = parser.value(countOption).toInt();

    const QString media = parser.isSet(dirOption) ? parser.value(dirOption) : root.filePath(QStringLiteral("media"));
    QDir().mkpath(media);
    QElapsedTimer t;
    t.start();
    if (QDir(media).entryList(QDir::Files).size() != count) {
        generate(media, count);
        std::printf("generated %d JPEGs (640x480) in %.1f s\n", count, t.elapsed() / 1000.0);
    } else {
        std::printf("reusing %d files in %s (thumbnail cache still cold)\n", count, qPrintable(media));
    }

    mt::app::MainWindow window;
    window.resize(1280, 800);
    window.show();
    QThread::msleep(200);
    app.processEvents();

    StallMonitor monitor;
    monitor.start("open");
    QSignalSpy loaded(&window, &mt::app::MainWindow::folderLoaded);
    QSignalSpy firstScreen(window.thumbnailScheduler(), &mt::app::ThumbnailScheduler::firstScreenComplete);
    QElapsedTimer open;
    open.start();
    window.openFolder(media);
    if (!loaded.wait(60000)) {
        std::printf("folder never loaded\n");
        return 1;
    }
    const double scanMs = open.elapsed();
    if (!firstScreen.wait(60000)) {
        std::printf("first screen of thumbnails never completed\n");
        return 1;
    }
    const double firstMs = open.elapsed();
    const double openStall = monitor.worst();
    const int openOver = monitor.over50();
    std::printf("items in grid: %d\n", window.model() ? int(window.grid()->model()->rowCount()) : 0);
    std::printf("scan + model: %.0f ms; first screen of thumbnails: %.0f ms (goal < 1000 ms)\n", scanMs, firstMs);
    std::printf("worst GUI stall while opening: %.1f ms (%d over 50 ms)\n", openStall, openOver);

    // Scroll through the grid a page every 40 ms: thumbnails for each screen are requested,
    // delivered and painted while the person moves.
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
    std::printf("scrolled %d pages in %.1f s; worst GUI stall while scrolling: %.1f ms (%d over 50 ms)\n", steps,
                scroll.elapsed() / 1000.0, monitor.worst(), monitor.over50());
    double worst = std::max(openStall, monitor.worst());

    if (parser.isSet(triageOption)) {
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
    std::printf("RESULT time_to_first_thumbnails_ms=%.0f worst_stall_ms=%.1f\n", firstMs, worst);
    return 0;
}
