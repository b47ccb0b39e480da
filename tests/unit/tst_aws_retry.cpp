// Backoff delays and the JSON-protocol error shape shared by the SSM and Lambda clients.
#include "aws/AwsJsonError.h"
#include "aws/AwsRetry.h"

#include <QElapsedTimer>
#include <QTest>

using namespace mt;
using namespace mt::aws;
using namespace std::chrono_literals;

class TestAwsRetry : public QObject {
    Q_OBJECT

private slots:
    void delaysGrowExponentiallyWithJitter()
    {
        const RetryPolicy policy{5, 100ms, 1000ms};
        // retry n waits between half and all of min(base·2^(n-1), max).
        const qint64 caps[] = {100, 200, 400, 800, 1000, 1000};
        for (int retry = 1; retry <= 6; ++retry) {
            qint64 low = LLONG_MAX, high = 0;
            for (int i = 0; i < 200; ++i) {
                const qint64 d = policy.delayBefore(retry).count();
                low = std::min(low, d);
                high = std::max(high, d);
            }
            const qint64 cap = caps[retry - 1];
            QVERIFY2(low >= cap / 2 && high <= cap, qPrintable(QStringLiteral("retry %1: %2..%3").arg(retry).arg(low).arg(high)));
            QVERIFY2(high > low, "no jitter");
        }
        QCOMPARE(policy.delayBefore(0).count(), 0);
        QCOMPARE(RetryPolicy::none().maxAttempts, 1);
        QCOMPARE(RetryPolicy::none().delayBefore(1).count(), 0);
        QCOMPARE((RetryPolicy{4, 100ms, 1000ms}).delayBefore(1000).count() <= 1000, true);
    }

    void sleepingStopsOnCancel()
    {
        CancellationToken token;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(sleepUnlessCancelled(30ms, token));
        QVERIFY(timer.elapsed() >= 29);
        token.setTimeout(50ms);
        timer.restart();
        QVERIFY(!sleepUnlessCancelled(10s, token));
        QVERIFY2(timer.elapsed() < 1000, QByteArray::number(timer.elapsed()).constData());
    }

    void jsonErrorTypes_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << "ParameterNotFound" << "ParameterNotFound";
        QTest::newRow("namespace") << "com.amazonaws.ssm#ParameterNotFound" << "ParameterNotFound";
        QTest::newRow("url-suffix") << "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/"
                                    << "ThrottlingException";
        QTest::newRow("both") << "com.amazon.coral.service#ExpiredTokenException:http://x/" << "ExpiredTokenException";
        QTest::newRow("empty") << "" << "";
    }

    void jsonErrorTypes()
    {
        QFETCH(QString, raw);
        QFETCH(QString, name);
        QCOMPARE(shortErrorType(raw), name);
    }

    void jsonErrorBodies()
    {
        net::HttpAnswer answer;
        answer.status = 400;
        answer.body = R"({"__type":"com.amazonaws.ssm#AccessDeniedException","message":"not allowed"})";
        AwsJsonError error = parseAwsJsonError(answer);
        QCOMPARE(error.type, QStringLiteral("AccessDeniedException"));
        QCOMPARE(error.message, QStringLiteral("not allowed"));

        answer.body = R"({"Type":"User","Message":"Function not found"})";
        answer.headers.insert("x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/");
        error = parseAwsJsonError(answer);
        QCOMPARE(error.type, QStringLiteral("ResourceNotFoundException"));
        QCOMPARE(error.message, QStringLiteral("Function not found"));

        answer.body = "<html>502 Bad Gateway</html>";
        answer.headers.clear();
        error = parseAwsJsonError(answer);
        QVERIFY(error.type.isEmpty());
        QVERIFY(error.message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAwsRetry)
#include "tst_aws_retry.moc"
