// SsmClient against FakeSsmServer: the value comes back, the request is shaped and signed as SSM
// expects, errors are mapped to actionable messages that never contain the secret, throttling is
// retried and an expired token re-reads the credentials.
#include "aws/AwsConfig.h"
#include "aws/SsmClient.h"

#include "FakeSsmServer.h"

#include <QElapsedTimer>
#include <QTest>

using namespace mt;
using namespace mt::aws;
using namespace mt::fakes;
using namespace std::chrono_literals;

namespace {

const QString kName = QStringLiteral("/triage/prod/gemini-api-key");
const QString kSecret = QStringLiteral("AIzaSyD-secret-value-0123456789");

SsmClientOptions fastOptions()
{
    SsmClientOptions options;
    options.retry = RetryPolicy{4, 5ms, 20ms};
    options.timeout = 5s;
    return options;
}

AwsConfig configFor(const FakeSsmServer &server, QByteArray region = "us-east-1", QByteArray token = "session-token-xyz")
{
    return AwsConfig::make(std::move(region), AwsCredentials{"ASIAEXAMPLE", "very-secret-key", std::move(token)},
                           {{"ssm", server.endpoint()}});
}

// Restores the environment variables a test changes.
class EnvGuard {
public:
    explicit EnvGuard(QList<QByteArray> names)
    {
        for (const QByteArray &name : names)
            m_saved.append({name, qgetenv(name.constData()), qEnvironmentVariableIsSet(name.constData())});
    }
    ~EnvGuard()
    {
        for (const auto &saved : m_saved) {
            if (saved.wasSet)
                qputenv(saved.name.constData(), saved.value);
            else
                qunsetenv(saved.name.constData());
        }
    }

private:
    struct Saved {
        QByteArray name;
        QByteArray value;
        bool wasSet;
    };
    QList<Saved> m_saved;
};

} // namespace

class TestSsmClient : public QObject {
    Q_OBJECT

private slots:
    void returnsTheValueWithASignedRequest()
    {
        FakeSsmServer server(FakeSsmOptions{"us-east-1", "ASIAEXAMPLE", "session-token-xyz"});
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        SsmClient client(configFor(server), fastOptions());
        auto value = client.getParameter(kName);
        QVERIFY2(value, qPrintable(value ? QString() : value.error().message));
        QCOMPARE(*value, kSecret);
        QCOMPARE(server.getParameterCalls(), 1);
        QVERIFY2(server.violations().isEmpty(), qPrintable(server.violations().join(u"; ")));
        const SsmCall call = server.calls().first();
        QCOMPARE(call.name, kName);
        QVERIFY(call.withDecryption);
        QCOMPARE(call.securityToken, QByteArray("session-token-xyz"));
        QVERIFY(call.authorization.contains("/us-east-1/ssm/aws4_request"));
        QVERIFY(call.authorization.contains("x-amz-security-token"));
        QVERIFY(!call.authorization.contains("very-secret-key"));
    }

    void decryptionFlagIsSent()
    {
        FakeSsmServer server;
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        SsmClient client(configFor(server), fastOptions());
        auto encrypted = client.getParameter(kName, false);
        QVERIFY(encrypted);
        QVERIFY(!server.calls().last().withDecryption);
        QVERIFY(encrypted->startsWith(u"AQICAH")); // the fake's ciphertext, not the value
        QCOMPARE(*client.getParameter(kName, true), kSecret);
        QVERIFY(server.calls().last().withDecryption);

        server.setParameter(QStringLiteral("plain"), QStringLiteral("v1,v2"), QStringLiteral("StringList"));
        QCOMPARE(*client.getParameter(QStringLiteral("plain"), false), QStringLiteral("v1,v2"));
    }

    void errorsAreMapped_data()
    {
        QTest::addColumn<QList<SsmFault>>("faults");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<int>("calls");
        QTest::newRow("not-found") << QList<SsmFault>{SsmFault::ParameterNotFound} << int(Error::Code::NotFound)
                                   << QStringLiteral("does not exist in region us-east-1") << 1;
        QTest::newRow("access-denied") << QList<SsmFault>{SsmFault::AccessDenied} << int(Error::Code::PermissionDenied)
                                       << QStringLiteral("ssm:GetParameter") << 1;
        QTest::newRow("garbage") << QList<SsmFault>{SsmFault::GarbageBody} << int(Error::Code::Corrupt)
                                 << QStringLiteral("unreadable") << 1;
        QTest::newRow("expired-twice") << QList<SsmFault>{SsmFault::ExpiredToken, SsmFault::ExpiredToken}
                                       << int(Error::Code::PermissionDenied) << QStringLiteral("ExpiredTokenException") << 2;
        QTest::newRow("server-error") << QList<SsmFault>(4, SsmFault::InternalError) << int(Error::Code::Network)
                                      << QStringLiteral("InternalServerError") << 4;
        QTest::newRow("throttled-out") << QList<SsmFault>(4, SsmFault::Throttling) << int(Error::Code::Network)
                                       << QStringLiteral("ThrottlingException") << 4;
    }

    void errorsAreMapped()
    {
        QFETCH(QList<SsmFault>, faults);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        QFETCH(int, calls);
        FakeSsmServer server;
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        server.queueFaults(faults);
        SsmClient client(configFor(server), fastOptions());
        auto value = client.getParameter(kName);
        QVERIFY(!value);
        QCOMPARE(int(value.error().code), code);
        QVERIFY2(value.error().message.contains(mentions), qPrintable(value.error().message));
        QVERIFY2(value.error().message.contains(kName), qPrintable(value.error().message));
        QVERIFY2(!value.error().message.contains(kSecret), "the secret leaked into the message");
        QVERIFY(!value.error().message.contains(u"very-secret-key"));
        QVERIFY(!value.error().message.contains(u"session-token-xyz"));
        QVERIFY(!value.error().message.contains(u"com.amazonaws.ssm#")); // the type is reduced to its name
        QCOMPARE(server.getParameterCalls(), calls);
        QCOMPARE(client.lastAttempts(), calls);
    }

    void unknownParameterIsNotFound()
    {
        FakeSsmServer server;
        QVERIFY(server.start());
        SsmClient client(configFor(server), fastOptions());
        auto value = client.getParameter(QStringLiteral("/nope"));
        QCOMPARE(value.error().code, Error::Code::NotFound);
        QVERIFY(value.error().message.contains(u"'/nope'"));
        QCOMPARE(client.getParameter(QString()).error().code, Error::Code::InvalidArgument);
        QCOMPARE(server.getParameterCalls(), 1);
    }

    void throttlingIsRetried()
    {
        FakeSsmServer server;
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        server.queueFaults({SsmFault::Throttling, SsmFault::InternalError, SsmFault::Throttling});
        SsmClient client(configFor(server), fastOptions());
        auto value = client.getParameter(kName);
        QVERIFY2(value, qPrintable(value ? QString() : value.error().message));
        QCOMPARE(*value, kSecret);
        QCOMPARE(server.getParameterCalls(), 4);
    }

    void expiredTokenRereadsCredentials()
    {
        FakeSsmServer server;
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        server.queueFaults({SsmFault::ExpiredToken});
        int reads = 0;
        auto provider = [&reads]() -> Result<AwsCredentials> {
            ++reads;
            return AwsCredentials{"ASIAEXAMPLE", "secret", "token-" + QByteArray::number(reads)};
        };
        SsmClient client(AwsConfig::make("us-east-1", provider, {{"ssm", server.endpoint()}}), fastOptions());
        QCOMPARE(*client.getParameter(kName), kSecret);
        QCOMPARE(server.calls().size(), 2);
        QCOMPARE(server.calls().at(0).securityToken, QByteArray("token-1"));
        QCOMPARE(server.calls().at(1).securityToken, QByteArray("token-2"));
    }

    void fakeRejectsWrongScopeAndToken()
    {
        // The fake's checks are what the Lambda suites rely on: prove they bite.
        FakeSsmServer server(FakeSsmOptions{"eu-west-1", {}, "expected-token"});
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        SsmClient wrongRegion(configFor(server, "us-east-1", "expected-token"), fastOptions());
        auto value = wrongRegion.getParameter(kName);
        QCOMPARE(value.error().code, Error::Code::PermissionDenied);
        QVERIFY2(value.error().message.contains(u"InvalidSignatureException"), qPrintable(value.error().message));
        QCOMPARE(server.violations().size(), 1);

        server.resetCounters();
        SsmClient noToken(configFor(server, "eu-west-1", {}), fastOptions());
        QCOMPARE(noToken.getParameter(kName).error().code, Error::Code::PermissionDenied);
        QCOMPARE(server.violations(), QStringList{QStringLiteral("no x-amz-security-token sent")});

        server.resetCounters();
        SsmClient right(configFor(server, "eu-west-1", "expected-token"), fastOptions());
        QCOMPARE(*right.getParameter(kName), kSecret);
        QVERIFY(server.violations().isEmpty());
    }

    void slowServerTimesOut()
    {
        FakeSsmServer server;
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        server.queueFaults({SsmFault::Delay, SsmFault::Delay});
        SsmClientOptions options = fastOptions();
        options.timeout = 300ms;
        SsmClient client(configFor(server), options);
        QElapsedTimer timer;
        timer.start();
        auto value = client.getParameter(kName);
        QCOMPARE(value.error().code, Error::Code::Timeout);
        QVERIFY2(value.error().message.contains(kName), qPrintable(value.error().message));
        QVERIFY2(timer.elapsed() < 1900, QByteArray::number(timer.elapsed()).constData());

        CancellationToken cancelled;
        cancelled.cancel();
        QCOMPARE(client.getParameter(kName, true, cancelled).error().code, Error::Code::Cancelled);
    }

    void configuredFromTheEnvironment()
    {
        FakeSsmServer server(FakeSsmOptions{"eu-central-1", "AKIAENV", "env-token"});
        QVERIFY(server.start());
        server.setParameter(kName, kSecret);
        EnvGuard guard({"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                        "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSM",
                        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"});
        qputenv("AWS_REGION", "eu-central-1");
        qputenv("AWS_ACCESS_KEY_ID", "AKIAENV");
        qputenv("AWS_SECRET_ACCESS_KEY", "env-secret");
        qputenv("AWS_SESSION_TOKEN", "env-token");
        qputenv("AWS_ENDPOINT_URL_SSM", server.endpoint().toString().toUtf8());
        qputenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9"); // the service-specific one wins
        qputenv("AWS_CONFIG_FILE", "/nonexistent/config");
        qputenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
        qunsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
        SsmClient client(AwsConfig::fromEnvironment(), fastOptions());
        auto value = client.getParameter(kName);
        QVERIFY2(value, qPrintable(value ? QString() : value.error().message));
        QCOMPARE(*value, kSecret);
        QVERIFY2(server.violations().isEmpty(), qPrintable(server.violations().join(u"; ")));
    }
};

QTEST_GUILESS_MAIN(TestSsmClient)
#include "tst_ssm_client.moc"
