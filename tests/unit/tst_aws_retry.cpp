// AWS's retry policy values and the JSON-protocol error shape shared by the SSM and Lambda clients.
#include "aws/AwsJsonError.h"
#include "aws/AwsRetry.h"

#include <QTest>

using namespace mt;
using namespace mt::aws;
using namespace std::chrono_literals;

class TestAwsRetry : public QObject {
    Q_OBJECT

private slots:
    // The AWS preset of the shared policy (aws-sigv4-s3-ssm.md §3.9): 0.1 s doubling to 5 s, each
    // wait drawn from the upper half of its step, four attempts, Retry-After honoured up to 20 s.
    void awsPolicyFollowsTheDocument_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<qint64>("step");
        QTest::newRow("first") << 1 << 100LL;
        QTest::newRow("second") << 2 << 200LL;
        QTest::newRow("third") << 3 << 400LL;
        QTest::newRow("seventh, capped") << 7 << 5000LL;
    }
    void awsPolicyFollowsTheDocument()
    {
        QFETCH(int, retry);
        QFETCH(qint64, step);
        const RetryPolicy policy = awsRetryPolicy();
        qint64 low = LLONG_MAX, high = 0;
        for (int i = 0; i < 200; ++i) {
            const qint64 d = policy.backoff(retry).count();
            low = std::min(low, d);
            high = std::max(high, d);
        }
        QVERIFY2(low >= step / 2 && high <= step, qPrintable(QStringLiteral("%1..%2").arg(low).arg(high)));
        QVERIFY2(high > low, "no jitter");
        QCOMPARE(policy.maxAttempts, 4);
        QCOMPARE(policy.decide(4, net::FailedAttempt{true, std::nullopt}).retry(), false);
        QCOMPARE(qint64(policy.decide(1, net::FailedAttempt{true, 20s}).delay.count()), 20000LL);
        QCOMPARE(policy.decide(1, net::FailedAttempt{true, 21s}).retry(), false);
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
