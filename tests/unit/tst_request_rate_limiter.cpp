// The shared Gemini rate: requests and tokens per minute over a sliding window, on a fake clock.
#include "net/RequestRateLimiter.h"

#include <QTest>

#include <thread>

using mt::net::RequestRateLimiter;
using namespace std::chrono_literals;

class TestRequestRateLimiter : public QObject {
    Q_OBJECT
    RequestRateLimiter::Clock::time_point m_now{};
    std::function<RequestRateLimiter::Clock::time_point()> clock()
    {
        return [this] { return m_now; };
    }

private slots:
    void init() { m_now = RequestRateLimiter::Clock::time_point{} + 1000s; }

    void delays_data()
    {
        QTest::addColumn<int>("rpm");
        QTest::addColumn<qint64>("tpm");
        QTest::addColumn<QList<qint64>>("booked"); // tokens of requests booked 1 s apart
        QTest::addColumn<qint64>("next");          // tokens of the next request
        QTest::addColumn<qint64>("expectedMs");    // its wait, measured 1 s after the last booking
        QTest::newRow("unlimited tokens, room for requests") << 3 << qint64(0) << QList<qint64>{1, 1} << qint64(10) << qint64(0);
        QTest::newRow("request budget used: wait for the oldest") << 2 << qint64(0) << QList<qint64>{1, 1} << qint64(1) << qint64(58000);
        QTest::newRow("token budget used") << 0 << qint64(1000) << QList<qint64>{600, 300} << qint64(200) << qint64(58000);
        QTest::newRow("token budget needs two to leave") << 0 << qint64(1000) << QList<qint64>{400, 400, 100} << qint64(900)
                                                         << qint64(58000);
        QTest::newRow("fits exactly") << 0 << qint64(1000) << QList<qint64>{600} << qint64(400) << qint64(0);
        QTest::newRow("larger than the budget waits for an empty window") << 0 << qint64(100) << QList<qint64>{50} << qint64(500)
                                                                         << qint64(59000);
        QTest::newRow("larger than the budget, empty window") << 0 << qint64(100) << QList<qint64>{} << qint64(500) << qint64(0);
    }
    void delays()
    {
        QFETCH(int, rpm);
        QFETCH(qint64, tpm);
        QFETCH(QList<qint64>, booked);
        QFETCH(qint64, next);
        QFETCH(qint64, expectedMs);
        RequestRateLimiter limiter(rpm, tpm, clock());
        for (qint64 tokens : booked) {
            limiter.book(tokens);
            m_now += 1s;
        }
        QCOMPARE(qint64(limiter.delayFor(next).count()), expectedMs);
    }

    void windowSlides()
    {
        RequestRateLimiter limiter(2, 0, clock());
        limiter.book(1);
        m_now += 30s;
        limiter.book(1);
        QCOMPARE(limiter.delayFor(1), 30000ms);
        m_now += 30s; // the first left the window
        QCOMPARE(limiter.delayFor(1), 0ms);
    }

    void acquireWaitsAndCancels()
    {
        // Real clock: a budget of one request a minute makes the second acquire wait; a cancel ends it.
        RequestRateLimiter limiter(1, 0);
        QVERIFY(limiter.acquire(1));
        mt::CancellationToken token;
        std::thread canceller([&token] {
            std::this_thread::sleep_for(100ms);
            token.cancel();
        });
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!limiter.acquire(1, token));
        canceller.join();
        QVERIFY(timer.elapsed() >= 90 && timer.elapsed() < 5000);
    }

    void oneLimiterPerBudget()
    {
        QVERIFY(RequestRateLimiter::forLimits(0, 0) == nullptr);
        QVERIFY(RequestRateLimiter::admit(0, 0, 1 << 30, {}));
        RequestRateLimiter *a = RequestRateLimiter::forLimits(7, 0);
        QVERIFY(a != nullptr);
        QCOMPARE(RequestRateLimiter::forLimits(7, 0), a);
        QVERIFY(RequestRateLimiter::forLimits(8, 0) != a);
    }
};

QTEST_GUILESS_MAIN(TestRequestRateLimiter)
#include "tst_request_rate_limiter.moc"
