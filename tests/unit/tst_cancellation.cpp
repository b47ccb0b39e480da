// The cancellation token's per-item limits: a child token follows its parent's cancel and
// deadline, its own deadline leaves the parent running, and the reason tells which one stopped it.
#include "common/Cancellation.h"
#include "media/MediaBudget.h"

#include <QTest>

#include <thread>

using namespace std::chrono_literals;
using mt::CancellationToken;
using Reason = CancellationToken::StopReason;

Q_DECLARE_METATYPE(mt::Error::Code)

class TestCancellation : public QObject {
    Q_OBJECT
private slots:
    void freshTokenRuns()
    {
        const CancellationToken token;
        QVERIFY(!token.isCancelled());
        QCOMPARE(token.stopReason(), Reason::None);
        QVERIFY(!token.withTimeout(1h).isCancelled());
    }

    void copiesShareState()
    {
        const CancellationToken token;
        const CancellationToken copy = token;
        copy.cancel();
        QVERIFY(token.isCancelled());
        QCOMPARE(token.stopReason(), Reason::Cancelled);
    }

    void parentCancelReachesChildAndGrandchild()
    {
        const CancellationToken run;
        const CancellationToken item = run.withTimeout(1h);
        const CancellationToken step = item.withTimeout(1h);
        QVERIFY(!step.isCancelled());
        run.cancel();
        QVERIFY(item.isCancelled());
        QVERIFY(step.isCancelled());
        QCOMPARE(item.stopReason(), Reason::Cancelled);
        QCOMPARE(step.stopReason(), Reason::Cancelled);
    }

    void childDeadlineLeavesParentRunning()
    {
        const CancellationToken run;
        const CancellationToken item = run.withTimeout(0ms);
        QVERIFY(item.isCancelled());
        QCOMPARE(item.stopReason(), Reason::TimedOut);
        QVERIFY(!run.isCancelled());
        QCOMPARE(run.stopReason(), Reason::None);
        // The next item gets a fresh budget from the same run.
        QVERIFY(!run.withTimeout(1h).isCancelled());
    }

    void childCancelLeavesParentRunning()
    {
        const CancellationToken run;
        const CancellationToken item = run.withTimeout(1h);
        item.cancel();
        QVERIFY(item.isCancelled());
        QVERIFY(!run.isCancelled());
    }

    void parentDeadlineIsReportedAsTheParents()
    {
        const CancellationToken run;
        run.setTimeout(0ms);
        const CancellationToken item = run.withTimeout(1h);
        QVERIFY(item.isCancelled());
        QCOMPARE(item.stopReason(), Reason::ParentTimedOut);
        QCOMPARE(run.stopReason(), Reason::TimedOut);
    }

    // Both deadlines have passed: the earlier one is the cause.
    void earlierDeadlineWins()
    {
        const CancellationToken run;
        run.setTimeout(20ms);
        const CancellationToken item = run.withTimeout(0ms);
        std::this_thread::sleep_for(40ms);
        QCOMPARE(item.stopReason(), Reason::TimedOut);

        const CancellationToken run2;
        run2.setTimeout(0ms);
        std::this_thread::sleep_for(5ms);
        const CancellationToken item2 = run2.withTimeout(0ms);
        QCOMPARE(item2.stopReason(), Reason::ParentTimedOut);
    }

    void cancelOutranksDeadline()
    {
        const CancellationToken run;
        const CancellationToken item = run.withTimeout(0ms);
        run.cancel();
        QCOMPARE(item.stopReason(), Reason::Cancelled);
    }

    void childDeadlineExpiresOnTime()
    {
        const CancellationToken run;
        const CancellationToken item = run.withTimeout(50ms);
        QVERIFY(!item.isCancelled());
        QTRY_VERIFY_WITH_TIMEOUT(item.isCancelled(), 2000);
        QCOMPARE(item.stopReason(), Reason::TimedOut);
    }

    void interruptedErrorNamesTheCause_data()
    {
        QTest::addColumn<int>("setup");
        QTest::addColumn<mt::Error::Code>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("person cancelled") << 0 << mt::Error::Code::Cancelled << QStringLiteral("cancelled");
        QTest::newRow("item budget") << 1 << mt::Error::Code::Timeout << QStringLiteral("took too long to decode — the file may be damaged");
        QTest::newRow("run deadline") << 2 << mt::Error::Code::Timeout << QStringLiteral("the time limit ran out before this file was finished");
    }
    void interruptedErrorNamesTheCause()
    {
        QFETCH(int, setup);
        QFETCH(mt::Error::Code, code);
        QFETCH(QString, message);
        const CancellationToken run;
        CancellationToken item = run.withTimeout(1h);
        if (setup == 0)
            run.cancel();
        else if (setup == 1)
            item = run.withTimeout(0ms);
        else
            run.setTimeout(0ms);
        const mt::Error error = mt::interruptedError(item);
        QCOMPARE(error.code, code);
        QCOMPARE(error.message, message);
    }

    // isCancelled() is polled per packet and per read: it must stay cheap with a deadline armed.
    void pollingIsCheap()
    {
        const CancellationToken run;
        run.setTimeout(1h);
        const CancellationToken item = run.withTimeout(1h);
        const auto start = std::chrono::steady_clock::now();
        int stopped = 0;
        for (int i = 0; i < 1000000; ++i)
            stopped += item.isCancelled();
        const auto elapsed = std::chrono::steady_clock::now() - start;
        QCOMPARE(stopped, 0);
        // About 20-40 ns a poll here; a lock or an allocation would show as microseconds.
        QVERIFY2(elapsed < 1s, qPrintable(QString::number(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count())));
    }
};

QTEST_GUILESS_MAIN(TestCancellation)
#include "tst_cancellation.moc"
