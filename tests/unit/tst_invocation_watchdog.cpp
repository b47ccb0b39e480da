// The Lambda runtime's last line before the deadline: the watchdog answers in the handler's place
// only when the handler is still running at the answer time, and exactly one of them answers.
#include "lambda/InvocationWatchdog.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <thread>

using mt::lambda::InvocationWatchdog;

class TestInvocationWatchdog : public QObject {
    Q_OBJECT
private slots:
    void answersAHandlerStillRunning()
    {
        std::atomic<qint64> firedAt{0};
        const qint64 answerAt = QDateTime::currentMSecsSinceEpoch() + 100;
        InvocationWatchdog watchdog(answerAt, [&] { firedAt = QDateTime::currentMSecsSinceEpoch(); });
        QTRY_VERIFY_WITH_TIMEOUT(firedAt.load() != 0, 5000);
        QVERIFY2(firedAt.load() >= answerAt, "fired early");
        QVERIFY(!watchdog.finish()); // the handler must not answer a second time
    }

    void stayQuietWhenTheHandlerFinishesFirst()
    {
        std::atomic<bool> fired{false};
        {
            InvocationWatchdog watchdog(QDateTime::currentMSecsSinceEpoch() + 150, [&] { fired = true; });
            QVERIFY(watchdog.finish());
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        QVERIFY(!fired);
    }

    // Destroying a watchdog far from its time must not wait for that time.
    void disarmsAtOnce()
    {
        QElapsedTimer timer;
        timer.start();
        {
            InvocationWatchdog watchdog(QDateTime::currentMSecsSinceEpoch() + 3600 * 1000, [] {});
        }
        QVERIFY(timer.elapsed() < 1000);
    }

    void unknownDeadlineNeverFires()
    {
        std::atomic<bool> fired{false};
        InvocationWatchdog watchdog(InvocationWatchdog::answerAtMs(0), [&] { fired = true; });
        QCOMPARE(InvocationWatchdog::answerAtMs(0), 0LL);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QVERIFY(watchdog.finish());
        QVERIFY(!fired);
    }

    void answersHalfASecondBeforeTheDeadline()
    {
        QCOMPARE(InvocationWatchdog::answerAtMs(1700000000000LL), 1699999999500LL);
    }
};

QTEST_GUILESS_MAIN(TestInvocationWatchdog)
#include "tst_invocation_watchdog.moc"
