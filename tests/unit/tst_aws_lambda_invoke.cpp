// LambdaInvoker against a tiny QHttpServer on the test's thread: the asynchronous Invoke request
// (path, X-Amz-Invocation-Type: Event, signed headers, payload), 202 as success, errors mapped
// with actionable messages, throttling retried, transport failures not retried.
#include "aws/AwsConfig.h"
#include "aws/LambdaInvoker.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpServer>
#include <QTest>

#include <deque>

using namespace mt;
using namespace mt::aws;
using namespace std::chrono_literals;

namespace {

struct Seen {
    QByteArray path; // as encoded on the wire
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
};

struct Answer {
    int status = 202;
    QByteArray body;
    QByteArray errorType;
};

class FakeLambda {
public:
    FakeLambda()
    {
        m_server.route(QStringLiteral("/2015-03-31/functions/<arg>/invocations"), QHttpServerRequest::Method::Post,
                       [this](const QString &, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                           Seen seen;
                           seen.path = request.url().toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveQuery);
                           for (const auto &[name, value] : request.headers())
                               seen.headers.insert(name.toLower(), value);
                           seen.body = request.body();
                           m_seen.append(seen);
                           const Answer answer = m_answers.empty() ? Answer{} : m_answers.front();
                           if (!m_answers.empty())
                               m_answers.pop_front();
                           responder.writeStatusLine(QHttpServerResponder::StatusCode(answer.status));
                           responder.writeHeader("Content-Type", "application/json");
                           if (!answer.errorType.isEmpty())
                               responder.writeHeader("x-amzn-ErrorType", answer.errorType);
                           responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
                           responder.writeBody(answer.body);
                       });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    QUrl endpoint() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    void queue(Answer answer) { m_answers.push_back(std::move(answer)); }
    const QList<Seen> &seen() const { return m_seen; }

    static Answer error(int status, const QByteArray &type, const QByteArray &message)
    {
        return Answer{status, "{\"Type\":\"User\",\"message\":\"" + message + "\"}",
                      type + ":http://internal.amazon.com/coral/com.amazonaws.lambda/"};
    }

private:
    QHttpServer m_server;
    quint16 m_port = 0;
    std::deque<Answer> m_answers;
    QList<Seen> m_seen;
};

LambdaInvokerOptions fastOptions()
{
    LambdaInvokerOptions options;
    options.retry = RetryPolicy{3, 5ms, 20ms};
    options.timeout = 5s;
    return options;
}

AwsConfig configFor(const QUrl &endpoint)
{
    return AwsConfig::make("eu-west-1", AwsCredentials{"ASIAEXAMPLE", "lambda-secret", "lambda-token"},
                           {{"lambda", endpoint}});
}

} // namespace

class TestLambdaInvoke : public QObject {
    Q_OBJECT

private slots:
    void eventInvocationIsAcceptedWith202()
    {
        FakeLambda lambda;
        LambdaInvoker invoker(configFor(lambda.endpoint()), fastOptions());
        const QByteArray payload = R"({"action":"triage","bucket":"b","prefix":"p/"})";
        const Status status = invoker.invokeAsync(QStringLiteral("mediatriage-fn"), payload);
        QVERIFY2(status, qPrintable(status ? QString() : status.error().message));
        QCOMPARE(lambda.seen().size(), 1);
        const Seen &seen = lambda.seen().first();
        QCOMPARE(seen.path, QByteArray("/2015-03-31/functions/mediatriage-fn/invocations"));
        QCOMPARE(seen.headers.value("x-amz-invocation-type"), QByteArray("Event"));
        QCOMPARE(seen.headers.value("x-amz-security-token"), QByteArray("lambda-token"));
        QCOMPARE(seen.body, payload);
        const QByteArray authorization = seen.headers.value("authorization");
        QVERIFY2(authorization.contains("/eu-west-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                                        "x-amz-invocation-type;x-amz-security-token, Signature="),
                 authorization.constData());
        QVERIFY(!authorization.contains("lambda-secret"));
        QVERIFY(!seen.headers.contains("x-amz-content-sha256")); // an S3-only header
    }

    void functionArnIsEncodedInThePath()
    {
        FakeLambda lambda;
        LambdaInvoker invoker(configFor(lambda.endpoint()), fastOptions());
        QVERIFY(invoker.invokeAsync(QStringLiteral("arn:aws:lambda:eu-west-1:123456789012:function:triage:live"), "{}"));
        QCOMPARE(lambda.seen().first().path,
                 QByteArray("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Atriage"
                            "%3Alive/invocations"));
    }

    void errorsAreMapped_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing") << 404 << QByteArray("ResourceNotFoundException") << int(Error::Code::NotFound)
                                 << QStringLiteral("does not exist");
        QTest::newRow("denied") << 403 << QByteArray("AccessDeniedException") << int(Error::Code::PermissionDenied)
                                << QStringLiteral("lambda:InvokeFunction");
        QTest::newRow("bad-payload") << 400 << QByteArray("InvalidRequestContentException")
                                     << int(Error::Code::InvalidArgument) << QStringLiteral("InvalidRequestContentException");
        QTest::newRow("too-large") << 413 << QByteArray("RequestTooLargeException") << int(Error::Code::InvalidArgument)
                                   << QStringLiteral("RequestTooLargeException");
        QTest::newRow("synchronous-answer") << 200 << QByteArray() << int(Error::Code::InvalidArgument)
                                            << QStringLiteral("HTTP 200");
    }

    void errorsAreMapped()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, type);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        FakeLambda lambda;
        lambda.queue(FakeLambda::error(status, type, "scripted failure"));
        LambdaInvoker invoker(configFor(lambda.endpoint()), fastOptions());
        const Status result = invoker.invokeAsync(QStringLiteral("mediatriage-fn"), "{}");
        QVERIFY(!result);
        QCOMPARE(int(result.error().code), code);
        QVERIFY2(result.error().message.contains(mentions), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(u"mediatriage-fn"), qPrintable(result.error().message));
        QVERIFY(!result.error().message.contains(u"lambda-secret"));
        QVERIFY(!result.error().message.contains(u"lambda-token"));
        QCOMPARE(lambda.seen().size(), 1); // permanent: not retried
    }

    void throttlingIsRetried()
    {
        FakeLambda lambda;
        lambda.queue(FakeLambda::error(429, "TooManyRequestsException", "Rate Exceeded."));
        lambda.queue(FakeLambda::error(500, "ServiceException", "oops"));
        LambdaInvoker invoker(configFor(lambda.endpoint()), fastOptions());
        QVERIFY(invoker.invokeAsync(QStringLiteral("fn"), "{}"));
        QCOMPARE(lambda.seen().size(), 3);
        QCOMPARE(invoker.lastAttempts(), 3);

        for (int i = 0; i < 3; ++i)
            lambda.queue(FakeLambda::error(429, "TooManyRequestsException", "Rate Exceeded."));
        const Status throttled = invoker.invokeAsync(QStringLiteral("fn"), "{}");
        QCOMPARE(throttled.error().code, Error::Code::Network);
        QVERIFY2(throttled.error().message.contains(u"TooManyRequestsException"), qPrintable(throttled.error().message));
        QCOMPARE(lambda.seen().size(), 6);
    }

    void expiredTokenRereadsCredentialsOnce()
    {
        FakeLambda lambda;
        lambda.queue(FakeLambda::error(403, "ExpiredTokenException", "The security token included in the request is expired"));
        int reads = 0;
        auto provider = [&reads]() -> Result<AwsCredentials> {
            ++reads;
            return AwsCredentials{"ASIA", "secret", "token-" + QByteArray::number(reads)};
        };
        LambdaInvoker invoker(AwsConfig::make("eu-west-1", provider, {{"lambda", lambda.endpoint()}}), fastOptions());
        QVERIFY(invoker.invokeAsync(QStringLiteral("fn"), "{}"));
        QCOMPARE(lambda.seen().size(), 2);
        QCOMPARE(lambda.seen().at(1).headers.value("x-amz-security-token"), QByteArray("token-2"));
    }

    void transportFailureIsNotRetried()
    {
        // A port that refuses connections: the event may or may not have been queued in general,
        // so a second invocation is never sent blindly.
        QTcpServer reserve;
        QVERIFY(reserve.listen(QHostAddress::LocalHost, 0));
        const QUrl closed(QStringLiteral("http://127.0.0.1:%1").arg(reserve.serverPort()));
        reserve.close();
        LambdaInvoker invoker(configFor(closed), fastOptions());
        const Status status = invoker.invokeAsync(QStringLiteral("fn"), "{}");
        QCOMPARE(status.error().code, Error::Code::Network);
        QVERIFY2(status.error().message.contains(u"'fn'"), qPrintable(status.error().message));
        QCOMPARE(invoker.lastAttempts(), 1);
    }

    void invalidNamesAreRefusedLocally_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("blank") << QStringLiteral("  ");
        QTest::newRow("slash") << QStringLiteral("../admin");
        QTest::newRow("huge") << QString(500, u'f');
    }

    void invalidNamesAreRefusedLocally()
    {
        QFETCH(QString, name);
        FakeLambda lambda;
        LambdaInvoker invoker(configFor(lambda.endpoint()), fastOptions());
        QCOMPARE(invoker.invokeAsync(name, "{}").error().code, Error::Code::InvalidArgument);
        QVERIFY(lambda.seen().isEmpty());
    }

    void defaultEndpointIsRegional()
    {
        // No override: the request would go to AWS; only check it is refused without a region.
        LambdaInvoker noRegion(AwsConfig::make({}, AwsCredentials{"A", "S", {}}), fastOptions());
        const Status status = noRegion.invokeAsync(QStringLiteral("fn"), "{}");
        QCOMPARE(status.error().code, Error::Code::InvalidArgument);
        QVERIFY2(status.error().message.contains(u"AWS_REGION"), qPrintable(status.error().message));
    }
};

QTEST_GUILESS_MAIN(TestLambdaInvoke)
#include "tst_aws_lambda_invoke.moc"
