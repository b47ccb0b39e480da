// LambdaRuntimeClient against the Runtime API stand-in: the headers of `next`, the answers, the
// error form, container errors and an API that is not there.
#include "FakeRuntimeApi.h"

#include "aws/LambdaRuntimeClient.h"

#include <QDateTime>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <nlohmann/json.hpp>

using mt::aws::LambdaRuntimeClient;
using mt::fakes::FakeRuntimeApi;
using mt::fakes::RuntimePost;

class TestLambdaRuntimeClient : public QObject {
    Q_OBJECT
private slots:
    void nextCarriesTheInvocation()
    {
        FakeRuntimeApi api;
        QVERIFY(api.start());
        const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + 30000;
        const QByteArray id = api.queueEvent(R"({"action":"triage"})", deadline, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
        LambdaRuntimeClient client(api.hostPort());
        auto invocation = client.next();
        QVERIFY2(invocation.ok(), invocation.ok() ? "" : qPrintable(invocation.error().message));
        QCOMPARE(invocation->requestId, id);
        QCOMPARE(invocation->deadlineMs, deadline);
        QVERIFY(invocation->remainingMs() > 20000 && invocation->remainingMs() <= 30000);
        QCOMPARE(invocation->body, QByteArray(R"({"action":"triage"})"));
        QVERIFY(invocation->functionArn.startsWith("arn:aws:lambda:"));
        QCOMPARE(qgetenv("_X_AMZN_TRACE_ID"), invocation->traceId);
        QVERIFY(!invocation->traceId.isEmpty());
    }

    void nextWaitsForAnEvent()
    {
        FakeRuntimeApi api;
        QVERIFY(api.start());
        // Queued from another thread a while after the client started waiting: no client timeout.
        std::unique_ptr<QThread> later(QThread::create([&api] {
            QThread::msleep(1500);
            api.queueEvent("{}");
        }));
        later->start();
        LambdaRuntimeClient client(api.hostPort());
        QElapsedTimer timer;
        timer.start();
        auto invocation = client.next();
        later->wait();
        QVERIFY(invocation.ok());
        QVERIFY(timer.elapsed() >= 1400);
        QCOMPARE(api.nextCalls(), 1);
    }

    void responseAndError()
    {
        FakeRuntimeApi api;
        QVERIFY(api.start());
        LambdaRuntimeClient client(api.hostPort());
        const QByteArray first = api.queueEvent("{}");
        QVERIFY(client.next().ok());
        auto ack = client.postResponse(first, R"({"ok":true})");
        QVERIFY(ack.ok() && ack->accepted());
        auto posted = api.waitForResult(first, 5000);
        QVERIFY(posted && posted->kind == RuntimePost::Kind::Response);
        QCOMPARE(posted->body, QByteArray(R"({"ok":true})"));
        QCOMPARE(posted->headers.value("content-type"), QByteArray("application/json"));

        const QByteArray second = api.queueEvent("{}");
        QVERIFY(client.next().ok());
        ack = client.postError(second, "quota_exhausted", QStringLiteral("Gemini quota exhausted for today"));
        QVERIFY(ack.ok() && ack->accepted());
        posted = api.waitForResult(second, 5000);
        QVERIFY(posted && posted->kind == RuntimePost::Kind::Error);
        QCOMPARE(posted->errorType(), QByteArray("Function.QuotaExhausted"));
        const auto body = nlohmann::json::parse(posted->body.toStdString());
        QCOMPARE(QString::fromStdString(body["errorType"].get<std::string>()), QStringLiteral("Function.QuotaExhausted"));
        QCOMPARE(QString::fromStdString(body["errorMessage"].get<std::string>()), QStringLiteral("Gemini quota exhausted for today"));
        QVERIFY(body["stackTrace"].is_array() && body["stackTrace"].empty());
    }

    void initError()
    {
        FakeRuntimeApi api;
        QVERIFY(api.start());
        LambdaRuntimeClient client(api.hostPort());
        auto ack = client.postInitError("Runtime.InitializationError", QStringLiteral("cannot read the key"));
        QVERIFY(ack.ok() && ack->accepted());
        auto posted = api.waitForInitError(5000);
        QVERIFY(posted);
        QCOMPARE(posted->errorType(), QByteArray("Runtime.InitializationError"));
    }

    void containerErrors()
    {
        FakeRuntimeApi api;
        QVERIFY(api.start());
        LambdaRuntimeClient client(api.hostPort());
        api.failNext(1);
        QVERIFY(!client.next().ok()); // a 500 to next: the runtime must exit
        const QByteArray id = api.queueEvent("{}");
        QVERIFY(client.next().ok());
        api.failPosts(1);
        auto ack = client.postResponse(id, "{}");
        QVERIFY(ack.ok());
        QVERIFY(ack->fatal());
    }

    void noRuntimeApi()
    {
        // A port nobody listens on: a few retries, then an error (not a hang).
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QByteArray hostPort = "127.0.0.1:" + QByteArray::number(probe.serverPort());
        probe.close();
        LambdaRuntimeClient client(hostPort);
        QElapsedTimer timer;
        timer.start();
        auto invocation = client.next();
        QVERIFY(!invocation.ok());
        QCOMPARE(invocation.error().code, mt::Error::Code::Network);
        QVERIFY(timer.elapsed() >= 2000 && timer.elapsed() < 10000); // 100 + 400 + 1600 ms of backoff
    }

    void environment()
    {
        qunsetenv("AWS_LAMBDA_RUNTIME_API");
        QVERIFY(!LambdaRuntimeClient::fromEnvironment().ok());
        qputenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001");
        auto client = LambdaRuntimeClient::fromEnvironment();
        QVERIFY(client.ok());
        QCOMPARE((*client)->baseUrl().toString(), QStringLiteral("http://127.0.0.1:9001/2018-06-01"));
        qunsetenv("AWS_LAMBDA_RUNTIME_API");
    }
};

QTEST_GUILESS_MAIN(TestLambdaRuntimeClient)
#include "tst_lambda_runtime_client.moc"
