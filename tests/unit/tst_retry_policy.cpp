// The one retry policy of the HTTP clients: backoff growth and cap, jitter bounds, the server's
// Retry-After/retryDelay winning over a shorter backoff, bounded attempts, Retry-After parsing.
#include "net/RetryAfter.h"
#include "net/RetryPolicy.h"

#include <QTest>
#include <QTimeZone>

#include <set>

using namespace mt::net;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using Verdict = RetryDecision::Verdict;

Q_DECLARE_METATYPE(mt::net::RetryPolicy)
Q_DECLARE_METATYPE(Verdict)

namespace {

constexpr int kSamples = 300;

RetryPolicy policy(int attempts, qint64 initial, qint64 max, qint64 jitter = 0, double fraction = 0.0,
                   qint64 maxServer = 120000)
{
    return RetryPolicy{attempts, milliseconds(initial), milliseconds(max), milliseconds(jitter), fraction,
                       milliseconds(maxServer)};
}

} // namespace

class TestRetryPolicy : public QObject {
    Q_OBJECT

private slots:
    void backoffStaysInBounds_data()
    {
        QTest::addColumn<RetryPolicy>("policy");
        QTest::addColumn<int>("retry");
        QTest::addColumn<qint64>("low");
        QTest::addColumn<qint64>("high");
        const RetryPolicy plain = policy(5, 100, 1000);
        QTest::newRow("first retry waits the initial delay") << plain << 1 << 100LL << 100LL;
        QTest::newRow("second doubles") << plain << 2 << 200LL << 200LL;
        QTest::newRow("fourth doubles again") << plain << 4 << 800LL << 800LL;
        QTest::newRow("fifth is capped") << plain << 5 << 1000LL << 1000LL;
        QTest::newRow("far retries stay capped, no overflow") << plain << 200 << 1000LL << 1000LL;
        QTest::newRow("retry 0 waits nothing") << plain << 0 << 0LL << 0LL;
        QTest::newRow("initial above max wins") << policy(3, 500, 100) << 2 << 500LL << 500LL;
        QTest::newRow("none waits nothing") << RetryPolicy::none() << 1 << 0LL << 0LL;
        QTest::newRow("added jitter, Google style") << policy(5, 1000, 60000, 1000) << 3 << 4000LL << 5000LL;
        QTest::newRow("added jitter on top of the cap") << policy(5, 1000, 60000, 1000) << 9 << 60000LL << 61000LL;
        QTest::newRow("equal jitter, AWS style") << policy(4, 100, 5000, 0, 0.5) << 3 << 200LL << 400LL;
        QTest::newRow("equal jitter at the cap") << policy(4, 100, 5000, 0, 0.5) << 10 << 2500LL << 5000LL;
        QTest::newRow("full jitter") << policy(4, 100, 5000, 0, 1.0) << 2 << 0LL << 200LL;
        QTest::newRow("fraction above 1 is clamped") << policy(4, 100, 5000, 0, 7.0) << 2 << 0LL << 200LL;
        QTest::newRow("both kinds") << policy(4, 100, 5000, 50, 0.5) << 2 << 100LL << 250LL;
    }
    void backoffStaysInBounds()
    {
        QFETCH(RetryPolicy, policy);
        QFETCH(int, retry);
        QFETCH(qint64, low);
        QFETCH(qint64, high);
        std::set<qint64> seen;
        for (int i = 0; i < kSamples; ++i) {
            const qint64 d = policy.backoff(retry).count();
            QVERIFY2(d >= low && d <= high, qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(d).arg(low).arg(high)));
            seen.insert(d);
        }
        // Jitter must really spread the waits: 300 draws over a range of 50+ values never all agree.
        if (high > low)
            QVERIFY2(seen.size() > 1, "no jitter");
        else
            QCOMPARE(seen.size(), size_t(1));
    }

    void decide_data()
    {
        QTest::addColumn<RetryPolicy>("policy");
        QTest::addColumn<int>("attempt");
        QTest::addColumn<bool>("transient");
        QTest::addColumn<qint64>("retryAfter"); // -1: the server asked for nothing
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<qint64>("delay");
        const RetryPolicy p = policy(4, 100, 1000, 0, 0.0, 5000);
        QTest::newRow("permanent failure") << p << 1 << false << -1LL << Verdict::Permanent << 0LL;
        QTest::newRow("permanent even with Retry-After") << p << 1 << false << 300LL << Verdict::Permanent << 0LL;
        QTest::newRow("transient: backoff") << p << 1 << true << -1LL << Verdict::Retry << 100LL;
        QTest::newRow("transient, third attempt") << p << 3 << true << -1LL << Verdict::Retry << 400LL;
        QTest::newRow("last attempt used") << p << 4 << true << -1LL << Verdict::OutOfAttempts << 0LL;
        QTest::newRow("Retry-After longer than backoff wins") << p << 1 << true << 2500LL << Verdict::Retry << 2500LL;
        QTest::newRow("Retry-After beyond maxDelay still wins") << p << 3 << true << 4000LL << Verdict::Retry << 4000LL;
        QTest::newRow("backoff longer than Retry-After") << p << 3 << true << 50LL << Verdict::Retry << 400LL;
        QTest::newRow("Retry-After 0 keeps the backoff") << p << 2 << true << 0LL << Verdict::Retry << 200LL;
        QTest::newRow("Retry-After too long: give up") << p << 1 << true << 5001LL << Verdict::ServerWaitTooLong << 5001LL;
        QTest::newRow("out of attempts before server wait") << p << 4 << true << 9000LL << Verdict::OutOfAttempts << 0LL;
        QTest::newRow("no-retry policy") << RetryPolicy::none() << 1 << true << -1LL << Verdict::OutOfAttempts << 0LL;
    }
    void decide()
    {
        QFETCH(RetryPolicy, policy);
        QFETCH(int, attempt);
        QFETCH(bool, transient);
        QFETCH(qint64, retryAfter);
        QFETCH(Verdict, verdict);
        QFETCH(qint64, delay);
        FailedAttempt failure{transient, std::nullopt};
        if (retryAfter >= 0)
            failure.retryAfter = milliseconds(retryAfter);
        const RetryDecision decision = policy.decide(attempt, failure);
        QCOMPARE(decision.verdict, verdict);
        QCOMPARE(decision.retry(), verdict == Verdict::Retry);
        QCOMPARE(qint64(decision.delay.count()), delay);
    }

    void attemptsAreBounded_data()
    {
        QTest::addColumn<int>("maxAttempts");
        QTest::newRow("no retry") << 1;
        QTest::newRow("two") << 2;
        QTest::newRow("Google's five") << 5;
        QTest::newRow("zero means one") << 0;
    }
    void attemptsAreBounded()
    {
        QFETCH(int, maxAttempts);
        const RetryPolicy p = policy(maxAttempts, 1, 10, 1, 0.5);
        int attempts = 1;
        while (p.decide(attempts, FailedAttempt{true, std::nullopt}).retry()) {
            ++attempts;
            QVERIFY(attempts <= 100);
        }
        QCOMPARE(attempts, std::max(maxAttempts, 1));
        QCOMPARE(p.decide(attempts, FailedAttempt{true, std::nullopt}).verdict, Verdict::OutOfAttempts);
    }

    void retryAfterHeader_data()
    {
        const QDateTime now(QDate(2026, 12, 5), QTime(21, 0, 0), QTimeZone::utc());
        QTest::addColumn<QByteArray>("value"); // empty: no header
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<qint64>("expected"); // -1: none
        QTest::newRow("absent") << QByteArray() << now << -1LL;
        QTest::newRow("seconds") << QByteArray("120") << now << 120000LL;
        QTest::newRow("seconds with spaces") << QByteArray(" 3 ") << now << 3000LL;
        QTest::newRow("zero") << QByteArray("0") << now << 0LL;
        QTest::newRow("negative is nonsense") << QByteArray("-5") << now << -1LL;
        QTest::newRow("words are nonsense") << QByteArray("soon") << now << -1LL;
        QTest::newRow("huge is capped at a day") << QByteArray("99999999999999") << now << 86400000LL;
        QTest::newRow("HTTP-date ahead") << QByteArray("Sat, 05 Dec 2026 21:00:30 GMT") << now << 30000LL;
        QTest::newRow("HTTP-date passed") << QByteArray("Sat, 05 Dec 2026 20:59:00 GMT") << now << 0LL;
    }
    void retryAfterHeader()
    {
        QFETCH(QByteArray, value);
        QFETCH(QDateTime, now);
        QFETCH(qint64, expected);
        HttpAnswer answer;
        answer.status = 503;
        if (!value.isEmpty())
            answer.headers.insert("retry-after", value);
        const auto wait = mt::net::retryAfterHeader(answer, now);
        QCOMPARE(wait.has_value(), expected >= 0);
        if (wait)
            QCOMPARE(qint64(wait->count()), expected);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retry_policy.moc"
