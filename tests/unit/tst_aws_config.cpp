// Where credentials, region and endpoints come from: environment, ~/.aws/config (with
// "[profile x]" sections and [services] sub-sections) and ~/.aws/credentials, in the SDKs' order.
#include "aws/AwsConfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;
using namespace mt::aws;

namespace {

const QList<QByteArray> kVariables{
    "HOME", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL_LAMBDA", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"};

using Env = QMap<QByteArray, QByteArray>;

bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

} // namespace

class TestAwsConfig : public QObject {
    Q_OBJECT

    struct Saved {
        QByteArray value;
        bool set = false;
    };
    QHash<QByteArray, Saved> m_saved;
    std::unique_ptr<QTemporaryDir> m_home;

    // A clean slate: every AWS variable unset, HOME an empty temporary folder.
    void isolate()
    {
        for (const QByteArray &name : kVariables)
            qunsetenv(name.constData());
        m_home = std::make_unique<QTemporaryDir>();
        qputenv("HOME", m_home->path().toUtf8());
    }

private slots:
    void initTestCase()
    {
        for (const QByteArray &name : kVariables)
            m_saved.insert(name, Saved{qgetenv(name.constData()), qEnvironmentVariableIsSet(name.constData())});
    }
    void init() { isolate(); }
    void cleanupTestCase()
    {
        for (auto it = m_saved.cbegin(); it != m_saved.cend(); ++it) {
            if (it->set)
                qputenv(it.key().constData(), it->value);
            else
                qunsetenv(it.key().constData());
        }
    }

    void resolution_data()
    {
        QTest::addColumn<Env>("env");
        QTest::addColumn<QByteArray>("configFile");      // written to $HOME/.aws/config
        QTest::addColumn<QByteArray>("credentialsFile"); // written to $HOME/.aws/credentials
        QTest::addColumn<QByteArray>("region");
        QTest::addColumn<QString>("s3");
        QTest::addColumn<QString>("ssm");
        QTest::addColumn<QString>("lambda");
        QTest::addColumn<QByteArray>("keyId");  // empty: an error is expected
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QStringList>("errorMentions");

        const QStringList noError;
        QTest::newRow("lambda-environment")
            << Env{{"AWS_REGION", "eu-west-1"}, {"AWS_ACCESS_KEY_ID", "ASIAENV"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                   {"AWS_SESSION_TOKEN", "envtoken"}}
            << QByteArray() << QByteArray() << QByteArray("eu-west-1") << QString() << QString() << QString()
            << QByteArray("ASIAENV") << QByteArray("envsecret") << QByteArray("envtoken") << noError;
        QTest::newRow("default-region-variable")
            << Env{{"AWS_DEFAULT_REGION", "us-west-2"}, {"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}}
            << QByteArray("[default]\nregion = eu-central-1\n") << QByteArray() << QByteArray("us-west-2") << QString()
            << QString() << QString() << QByteArray("A") << QByteArray("S") << QByteArray() << noError;
        QTest::newRow("region-variable-first")
            << Env{{"AWS_REGION", "ap-northeast-1"}, {"AWS_DEFAULT_REGION", "us-west-2"}}
            << QByteArray("[default]\nregion = eu-central-1\n")
            << QByteArray("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n")
            << QByteArray("ap-northeast-1") << QString() << QString() << QString() << QByteArray("AKIAFILE")
            << QByteArray("filesecret") << QByteArray() << noError;
        QTest::newRow("default-profile-files")
            << Env{} << QByteArray("[default]\nregion = ap-south-1\n")
            << QByteArray("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n"
                          "aws_session_token = filetoken\n")
            << QByteArray("ap-south-1") << QString() << QString() << QString() << QByteArray("AKIAFILE")
            << QByteArray("filesecret") << QByteArray("filetoken") << noError;
        QTest::newRow("named-profile")
            << Env{{"AWS_PROFILE", "dev"}}
            << QByteArray("[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-north-1\n")
            << QByteArray("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n\n"
                          "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = devsecret\n")
            << QByteArray("eu-north-1") << QString() << QString() << QString() << QByteArray("AKIADEV")
            << QByteArray("devsecret") << QByteArray() << noError;
        QTest::newRow("config-section-needs-profile-prefix")
            << Env{{"AWS_PROFILE", "dev"}, {"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}}
            << QByteArray("[dev]\nregion = eu-north-1\n") << QByteArray() << QByteArray() << QString() << QString()
            << QString() << QByteArray("A") << QByteArray("S") << QByteArray() << noError;
        QTest::newRow("credentials-file-wins")
            << Env{{"AWS_PROFILE", "dev"}}
            << QByteArray("[profile dev]\nregion = eu-west-2\naws_access_key_id = AKIACONFIG\n"
                          "aws_secret_access_key = configsecret\n")
            << QByteArray("[dev]\naws_access_key_id = AKIACREDS\naws_secret_access_key = credssecret\n")
            << QByteArray("eu-west-2") << QString() << QString() << QString() << QByteArray("AKIACREDS")
            << QByteArray("credssecret") << QByteArray() << noError;
        QTest::newRow("keys-in-config-only")
            << Env{} << QByteArray("[default]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = configsecret\n")
            << QByteArray() << QByteArray() << QString() << QString() << QString() << QByteArray("AKIACONFIG")
            << QByteArray("configsecret") << QByteArray() << noError;
        QTest::newRow("environment-beats-files")
            << Env{{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"}} << QByteArray()
            << QByteArray("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n")
            << QByteArray() << QString() << QString() << QString() << QByteArray("AKIAENV") << QByteArray("envsecret")
            << QByteArray() << noError;
        QTest::newRow("comments-crlf-spacing")
            << Env{} << QByteArray("# comment\r\n[default]\r\n; another\r\n  region=eu-west-3  \r\n")
            << QByteArray("[ default ]\r\naws_access_key_id=AKIACRLF\r\naws_secret_access_key =  s  \r\n")
            << QByteArray("eu-west-3") << QString() << QString() << QString() << QByteArray("AKIACRLF")
            << QByteArray("s") << QByteArray() << noError;
        QTest::newRow("half-a-key-pair")
            << Env{{"AWS_ACCESS_KEY_ID", "AKIAENV"}} << QByteArray()
            << QByteArray("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n")
            << QByteArray() << QString() << QString() << QString() << QByteArray() << QByteArray() << QByteArray()
            << QStringList{QStringLiteral("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")};
        QTest::newRow("nothing-configured")
            << Env{} << QByteArray() << QByteArray() << QByteArray() << QString() << QString() << QString()
            << QByteArray() << QByteArray() << QByteArray()
            << QStringList{QStringLiteral("no AWS credentials found"), QStringLiteral("AWS_ACCESS_KEY_ID"),
                           QStringLiteral("profile 'default'"), QStringLiteral(".aws/credentials")};
        QTest::newRow("missing-profile")
            << Env{{"AWS_PROFILE", "prod"}} << QByteArray()
            << QByteArray("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n")
            << QByteArray() << QString() << QString() << QString() << QByteArray() << QByteArray() << QByteArray()
            << QStringList{QStringLiteral("profile 'prod'")};
        QTest::newRow("sso-profile")
            << Env{{"AWS_PROFILE", "sso"}}
            << QByteArray("[profile sso]\nsso_start_url = https://example.awsapps.com/start\nregion = us-east-2\n")
            << QByteArray() << QByteArray("us-east-2") << QString() << QString() << QString() << QByteArray()
            << QByteArray() << QByteArray() << QStringList{QStringLiteral("sso_start_url"), QStringLiteral("does not support")};
        QTest::newRow("secret-without-id-in-file")
            << Env{} << QByteArray() << QByteArray("[default]\naws_secret_access_key = filesecret\n") << QByteArray()
            << QString() << QString() << QString() << QByteArray() << QByteArray() << QByteArray()
            << QStringList{QStringLiteral("needs both aws_access_key_id and aws_secret_access_key")};

        const Env keys{{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}};
        auto withKeys = [&keys](Env env) {
            for (auto it = keys.cbegin(); it != keys.cend(); ++it)
                env.insert(it.key(), it.value());
            return env;
        };
        QTest::newRow("service-endpoint-beats-global")
            << withKeys({{"AWS_ENDPOINT_URL", "http://global:1"}, {"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4568"}})
            << QByteArray() << QByteArray() << QByteArray() << QStringLiteral("http://127.0.0.1:4568")
            << QStringLiteral("http://global:1") << QStringLiteral("http://global:1") << QByteArray("A") << QByteArray("S")
            << QByteArray() << noError;
        QTest::newRow("per-service-variables")
            << withKeys({{"AWS_ENDPOINT_URL_SSM", "http://ssm:2"}, {"AWS_ENDPOINT_URL_LAMBDA", "http://lambda:3/base"}})
            << QByteArray() << QByteArray() << QByteArray() << QString() << QStringLiteral("http://ssm:2")
            << QStringLiteral("http://lambda:3/base") << QByteArray("A") << QByteArray("S") << QByteArray() << noError;
        QTest::newRow("ignore-flag")
            << withKeys({{"AWS_ENDPOINT_URL", "http://global:1"}, {"AWS_ENDPOINT_URL_S3", "http://s3:1"},
                         {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}})
            << QByteArray("[default]\nendpoint_url = http://file:1\n") << QByteArray() << QByteArray() << QString()
            << QString() << QString() << QByteArray("A") << QByteArray("S") << QByteArray() << noError;
        QTest::newRow("ignore-flag-in-profile")
            << withKeys({{"AWS_ENDPOINT_URL", "http://global:1"}})
            << QByteArray("[default]\nignore_configured_endpoint_urls = true\n") << QByteArray() << QByteArray()
            << QString() << QString() << QString() << QByteArray("A") << QByteArray("S") << QByteArray() << noError;
        QTest::newRow("ignore-variable-false-overrides-profile")
            << withKeys({{"AWS_ENDPOINT_URL", "http://global:1"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"}})
            << QByteArray("[default]\nignore_configured_endpoint_urls = true\n") << QByteArray() << QByteArray()
            << QStringLiteral("http://global:1") << QStringLiteral("http://global:1") << QStringLiteral("http://global:1")
            << QByteArray("A") << QByteArray("S") << QByteArray() << noError;
        QTest::newRow("services-section")
            << withKeys({{"AWS_PROFILE", "local"}})
            << QByteArray("[profile local]\nregion = us-east-1\nservices = local-stack\nendpoint_url = http://file:1\n\n"
                          "[services local-stack]\ns3 =\n  endpoint_url = http://127.0.0.1:4568\n"
                          "  addressing_style = path\nlambda =\n\tendpoint_url = http://127.0.0.1:9001\n")
            << QByteArray() << QByteArray("us-east-1") << QStringLiteral("http://127.0.0.1:4568")
            << QStringLiteral("http://file:1") << QStringLiteral("http://127.0.0.1:9001") << QByteArray("A")
            << QByteArray("S") << QByteArray() << noError;
        QTest::newRow("environment-before-files")
            << withKeys({{"AWS_ENDPOINT_URL", "http://env:1"}})
            << QByteArray("[default]\nservices = s\n[services s]\ns3 =\n  endpoint_url = http://file-s3:1\n")
            << QByteArray() << QByteArray() << QStringLiteral("http://env:1") << QStringLiteral("http://env:1")
            << QStringLiteral("http://env:1") << QByteArray("A") << QByteArray("S") << QByteArray() << noError;
    }

    void resolution()
    {
        QFETCH(Env, env);
        QFETCH(QByteArray, configFile);
        QFETCH(QByteArray, credentialsFile);
        QFETCH(QByteArray, region);
        QFETCH(QString, s3);
        QFETCH(QString, ssm);
        QFETCH(QString, lambda);
        QFETCH(QByteArray, keyId);
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, token);
        QFETCH(QStringList, errorMentions);

        if (!configFile.isEmpty())
            QVERIFY(writeFile(m_home->filePath(QStringLiteral(".aws/config")), configFile));
        if (!credentialsFile.isEmpty())
            QVERIFY(writeFile(m_home->filePath(QStringLiteral(".aws/credentials")), credentialsFile));
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            qputenv(it.key().constData(), it.value());

        const AwsConfig config = AwsConfig::fromEnvironment();
        QCOMPARE(config.region(), region);
        QCOMPARE(config.endpointOverride("s3").toString(), s3);
        QCOMPARE(config.endpointOverride("ssm").toString(), ssm);
        QCOMPARE(config.endpointOverride("lambda").toString(), lambda);

        const auto credentials = config.credentials();
        if (keyId.isEmpty()) {
            QVERIFY(!credentials);
            QCOMPARE(credentials.error().code, Error::Code::PermissionDenied);
            for (const QString &mention : errorMentions)
                QVERIFY2(credentials.error().message.contains(mention), qPrintable(credentials.error().message));
            QVERIFY(!credentials.error().message.contains(u"filesecret"));
            return;
        }
        QVERIFY2(credentials, qPrintable(credentials ? QString() : credentials.error().message));
        QCOMPARE(credentials->accessKeyId, keyId);
        QCOMPARE(credentials->secretAccessKey, secret);
        QCOMPARE(credentials->sessionToken, token);
    }

    void fileLocationsCanBeOverridden()
    {
        QTemporaryDir elsewhere;
        const QString config = elsewhere.filePath(QStringLiteral("my-config"));
        const QString credentials = elsewhere.filePath(QStringLiteral("my-credentials"));
        QVERIFY(writeFile(config, "[profile ci]\nregion = sa-east-1\n"));
        QVERIFY(writeFile(credentials, "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = cisecret\n"));
        // Files in HOME that must not be read.
        QVERIFY(writeFile(m_home->filePath(QStringLiteral(".aws/config")), "[profile ci]\nregion = us-east-1\n"));
        QVERIFY(writeFile(m_home->filePath(QStringLiteral(".aws/credentials")), "[ci]\naws_access_key_id = AKIAHOME\n"
                                                                                "aws_secret_access_key = home\n"));
        qputenv("AWS_CONFIG_FILE", config.toUtf8());
        qputenv("AWS_SHARED_CREDENTIALS_FILE", credentials.toUtf8());
        qputenv("AWS_PROFILE", "ci");
        const AwsConfig resolved = AwsConfig::fromEnvironment();
        QCOMPARE(resolved.region(), QByteArray("sa-east-1"));
        QCOMPARE(resolved.credentials()->accessKeyId, QByteArray("AKIACI"));
        QCOMPARE(resolved.profileName(), QStringLiteral("ci"));
    }

    void credentialsAreRereadOnEveryCall()
    {
        // Lambda rotates role credentials in the environment of a warm process.
        qputenv("AWS_ACCESS_KEY_ID", "ASIAFIRST");
        qputenv("AWS_SECRET_ACCESS_KEY", "first");
        qputenv("AWS_SESSION_TOKEN", "token-1");
        const AwsConfig config = AwsConfig::fromEnvironment();
        QCOMPARE(config.credentials()->sessionToken, QByteArray("token-1"));
        qputenv("AWS_ACCESS_KEY_ID", "ASIASECOND");
        qputenv("AWS_SESSION_TOKEN", "token-2");
        QCOMPARE(config.credentials()->accessKeyId, QByteArray("ASIASECOND"));
        QCOMPARE(config.credentials()->sessionToken, QByteArray("token-2"));
        qunsetenv("AWS_SESSION_TOKEN");
        QVERIFY(config.credentials()->sessionToken.isEmpty());

        // A credentials file edited meanwhile is read again too.
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        const QString path = m_home->filePath(QStringLiteral(".aws/credentials"));
        QVERIFY(writeFile(path, "[default]\naws_access_key_id = AKIAOLD\naws_secret_access_key = old\n"));
        QCOMPARE(config.credentials()->accessKeyId, QByteArray("AKIAOLD"));
        QVERIFY(writeFile(path, "[default]\naws_access_key_id = AKIANEW\naws_secret_access_key = new\n"));
        QCOMPARE(config.credentials()->accessKeyId, QByteArray("AKIANEW"));
    }

    void explicitConfig()
    {
        const AwsConfig fixed = AwsConfig::make("eu-west-1", AwsCredentials{"AKID", "SECRET", "TOKEN"},
                                                {{"s3", QUrl(QStringLiteral("http://127.0.0.1:1"))}});
        QCOMPARE(fixed.region(), QByteArray("eu-west-1"));
        QCOMPARE(fixed.credentials()->sessionToken, QByteArray("TOKEN"));
        QCOMPARE(fixed.endpointOverride("S3").toString(), QStringLiteral("http://127.0.0.1:1"));
        QVERIFY(fixed.endpointOverride("ssm").isEmpty());

        // Without a region, a local endpoint still gets a region to sign for; AWS itself does not.
        const AwsConfig noRegion = AwsConfig::make({}, AwsCredentials{"A", "S", {}},
                                                   {{"s3", QUrl(QStringLiteral("http://127.0.0.1:1"))}});
        QCOMPARE(noRegion.signingRegion("s3"), QByteArray("us-east-1"));
        QVERIFY(noRegion.signingRegion("ssm").isEmpty());
        QCOMPARE(fixed.signingRegion("ssm"), QByteArray("eu-west-1"));

        QCOMPARE(fixed.serviceEndpoint("ssm").toString(), QStringLiteral("https://ssm.eu-west-1.amazonaws.com"));
        QCOMPARE(fixed.serviceEndpoint("lambda").toString(), QStringLiteral("https://lambda.eu-west-1.amazonaws.com"));
        QCOMPARE(fixed.serviceEndpoint("s3").toString(), QStringLiteral("http://127.0.0.1:1"));
        QCOMPARE(AwsConfig::make("cn-north-1", AwsCredentials{}).serviceEndpoint("ssm").toString(),
                 QStringLiteral("https://ssm.cn-north-1.amazonaws.com.cn"));
    }

    void sharedFileParser()
    {
        const auto sections = AwsSharedFile::parse("top = ignored\n[default]\nregion=eu-west-1\nS3 =\n  Max_Concurrent_Requests = 20\n"
                                                   "output = json\n  stray = continuation\n[profile  a  b]\n[services x]\n"
                                                   "s3 =\n  endpoint_url = http://h:1\n");
        QCOMPARE(sections.size(), 3);
        QCOMPARE(sections.value("default").value("region"), QByteArray("eu-west-1"));
        QCOMPARE(sections.value("default").value("s3.max_concurrent_requests"), QByteArray("20"));
        QCOMPARE(sections.value("default").value("output"), QByteArray("json"));
        QVERIFY(!sections.value("default").contains("stray"));
        QVERIFY(!sections.value("default").contains("output.stray"));
        QVERIFY(sections.contains("profile a b"));
        QCOMPARE(sections.value("services x").value("s3.endpoint_url"), QByteArray("http://h:1"));
        QVERIFY(AwsSharedFile::read(QStringLiteral("/nonexistent/file")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAwsConfig)
#include "tst_aws_config.moc"
