// The one sleep of the retry loops: it lasts its duration, ends within ~50 ms of a cancel or of
// the token's deadline, and sleeps rather than spins.
#include "net/CancellableSleep.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <chrono>
#include <ctime>
#include <memory>

using namespace mt;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kPromptMs = 50;

} // namespace

class TestCancellableSleep : public QObject {
    Q_OBJECT

private slots:
    void sleepsTheWholeDuration_data()
    {
        QTest::addColumn<int>("ms");
        QTest::newRow("zero") << 0;
        QTest::newRow("negative") << -20;
        QTest::newRow("short") << 30;
        QTest::newRow("longer than a slice") << 120;
    }
    void sleepsTheWholeDuration()
    {
        QFETCH(int, ms);
        CancellationToken token;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(net::sleepCancellable(std::chrono::milliseconds(ms), token));
        QVERIFY2(timer.elapsed() >= std::max(ms, 0), qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(timer.elapsed() < std::max(ms, 0) + 500, qPrintable(QString::number(timer.elapsed())));
    }

    void cancelEndsItPromptly_data()
    {
        QTest::addColumn<int>("cancelAfterMs"); // -1: cancelled before the sleep starts
        QTest::newRow("already cancelled") << -1;
        QTest::newRow("right away") << 0;
        QTest::newRow("after 30 ms") << 30;
        QTest::newRow("after 200 ms") << 200;
    }
    void cancelEndsItPromptly()
    {
        QFETCH(int, cancelAfterMs);
        using Clock = std::chrono::steady_clock;
        CancellationToken token;
        if (cancelAfterMs < 0)
            token.cancel();
        const Clock::time_point started = Clock::now();
        Clock::time_point cancelledAt = started;
        // Written by the canceller, read only after wait(), which orders the two threads.
        std::unique_ptr<QThread> canceller(QThread::create([token, cancelAfterMs, &cancelledAt] {
            if (cancelAfterMs < 0)
                return;
            QThread::msleep(ulong(cancelAfterMs));
            cancelledAt = Clock::now();
            token.cancel();
        }));
        canceller->start();
        const bool slept = net::sleepCancellable(10s, token);
        const Clock::time_point woke = Clock::now();
        canceller->wait();
        QVERIFY(!slept);
        const qint64 lag = std::chrono::duration_cast<std::chrono::milliseconds>(woke - cancelledAt).count();
        QVERIFY2(lag < kPromptMs, qPrintable(QStringLiteral("woke %1 ms after the cancel").arg(lag)));
    }

    void tokenDeadlineEndsIt()
    {
        CancellationToken token;
        token.setTimeout(60ms);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!net::sleepCancellable(10s, token));
        QVERIFY2(timer.elapsed() >= 59 && timer.elapsed() < 60 + kPromptMs, qPrintable(QString::number(timer.elapsed())));
    }

    // A busy loop would burn the whole 300 ms of CPU; sleeping slices cost next to nothing.
    void sleepsWithoutSpinning()
    {
        CancellationToken token;
        const std::clock_t before = std::clock();
        QVERIFY(net::sleepCancellable(300ms, token));
        const double cpuMs = 1000.0 * double(std::clock() - before) / CLOCKS_PER_SEC;
        QVERIFY2(cpuMs < 60, qPrintable(QStringLiteral("%1 ms of CPU for 300 ms of sleep").arg(cpuMs)));
    }
};

QTEST_GUILESS_MAIN(TestCancellableSleep)
#include "tst_cancellable_sleep.moc"
