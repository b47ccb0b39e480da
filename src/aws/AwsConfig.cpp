#include "aws/AwsConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace mt::aws {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("AwsConfig", text); }

QByteArray env(const char *name) { return qgetenv(name).trimmed(); }

bool isTrue(const QByteArray &value) { return value.trimmed().toLower() == "true"; }

// Credential sources of the full SDKs that this client does not implement; a profile that only
// has these gets a message saying so instead of "no credentials".
constexpr const char *kUnsupportedSources[] = {"sso_session", "sso_start_url", "credential_process",
                                                "role_arn", "web_identity_token_file", "credential_source"};

AwsProfile configProfile(const QHash<QByteArray, AwsProfile> &config, const QString &profile)
{
    const QByteArray name = profile.toUtf8();
    if (name == "default") {
        // Both spellings exist in the wild; "[default]" is the documented one.
        AwsProfile merged = config.value("profile default");
        const AwsProfile plain = config.value("default");
        for (auto it = plain.cbegin(); it != plain.cend(); ++it)
            merged.insert(it.key(), it.value());
        return merged;
    }
    return config.value("profile " + name);
}

bool hasKeys(const AwsProfile &profile) { return profile.contains("aws_access_key_id") || profile.contains("aws_secret_access_key"); }

Result<AwsCredentials> credentialsFromProfile(const AwsProfile &profile, const QString &profileName, const QString &file)
{
    AwsCredentials c{profile.value("aws_access_key_id").trimmed(), profile.value("aws_secret_access_key").trimmed(),
                     profile.value("aws_session_token").trimmed()};
    if (c.accessKeyId.isEmpty() || c.secretAccessKey.isEmpty()) {
        return makeError(Error::Code::PermissionDenied,
                         tr("profile '%1' in %2 needs both aws_access_key_id and aws_secret_access_key")
                             .arg(profileName, QDir::toNativeSeparators(file)));
    }
    return c;
}

} // namespace

QHash<QByteArray, AwsProfile> AwsSharedFile::parse(const QByteArray &text)
{
    QHash<QByteArray, AwsProfile> sections;
    QByteArray section;
    bool inSection = false;
    QByteArray parentKey; // a key with an empty value opens nested "  sub = value" lines
    bool hasKey = false;  // an indented line before any key of its section is an ordinary key
    for (QByteArray line : text.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        const QByteArray trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith('#') || trimmed.startsWith(';'))
            continue;
        const bool indented = line.at(0) == ' ' || line.at(0) == '\t';
        if (!indented && trimmed.startsWith('[')) {
            const qsizetype close = trimmed.indexOf(']');
            section = (close < 0 ? trimmed.mid(1) : trimmed.mid(1, close - 1)).simplified();
            inSection = !section.isEmpty();
            if (inSection)
                sections[section]; // an empty section still exists
            parentKey.clear();
            hasKey = false;
            continue;
        }
        if (!inSection)
            continue;
        const qsizetype eq = trimmed.indexOf('=');
        if (eq <= 0)
            continue;
        const QByteArray key = trimmed.left(eq).trimmed().toLower();
        const QByteArray value = trimmed.mid(eq + 1).trimmed();
        if (indented && !parentKey.isEmpty()) {
            sections[section].insert(parentKey + '.' + key, value);
            continue;
        }
        if (indented && hasKey)
            continue; // continuation of a multi-line value: not used by any key we read
        sections[section].insert(key, value);
        parentKey = value.isEmpty() ? key : QByteArray();
        hasKey = true;
    }
    return sections;
}

QHash<QByteArray, AwsProfile> AwsSharedFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return parse(file.readAll());
}

QString AwsConfig::configFilePath()
{
    const QString custom = qEnvironmentVariable("AWS_CONFIG_FILE").trimmed();
    return custom.isEmpty() ? QDir::homePath() + QStringLiteral("/.aws/config") : custom;
}

QString AwsConfig::credentialsFilePath()
{
    const QString custom = qEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE").trimmed();
    return custom.isEmpty() ? QDir::homePath() + QStringLiteral("/.aws/credentials") : custom;
}

QString AwsConfig::profileFromEnvironment()
{
    const QString profile = qEnvironmentVariable("AWS_PROFILE").trimmed();
    return profile.isEmpty() ? QStringLiteral("default") : profile;
}

AwsConfig AwsConfig::fromEnvironment()
{
    AwsConfig config;
    config.m_profile = profileFromEnvironment();
    const auto configFile = AwsSharedFile::read(configFilePath());
    const AwsProfile profile = configProfile(configFile, config.m_profile);

    config.m_region = env("AWS_REGION");
    if (config.m_region.isEmpty())
        config.m_region = env("AWS_DEFAULT_REGION");
    if (config.m_region.isEmpty())
        config.m_region = profile.value("region").trimmed();

    const bool ignoreEndpoints = qEnvironmentVariableIsSet("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        ? isTrue(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
        : isTrue(profile.value("ignore_configured_endpoint_urls"));
    if (ignoreEndpoints)
        return config;

    // Precedence of the SDKs' "service-specific endpoints" feature: environment before files,
    // service-specific before global within each.
    const AwsProfile services = configFile.value("services " + profile.value("services").trimmed());
    const QByteArray globalEnv = env("AWS_ENDPOINT_URL");
    const QByteArray globalFile = profile.value("endpoint_url").trimmed();
    for (const QByteArray &serviceId : {QByteArrayLiteral("s3"), QByteArrayLiteral("ssm"), QByteArrayLiteral("lambda")}) {
        const QByteArray envName = "AWS_ENDPOINT_URL_" + serviceId.toUpper();
        QByteArray value = env(envName.constData());
        if (value.isEmpty())
            value = globalEnv;
        if (value.isEmpty())
            value = services.value(serviceId + ".endpoint_url").trimmed();
        if (value.isEmpty())
            value = globalFile;
        if (!value.isEmpty())
            config.m_endpoints.insert(serviceId, QUrl(QString::fromUtf8(value)));
    }
    return config;
}

AwsConfig AwsConfig::make(QByteArray region, AwsCredentials fixed, QHash<QByteArray, QUrl> endpoints)
{
    return make(std::move(region), CredentialsProvider([fixed] { return Result<AwsCredentials>(fixed); }),
                std::move(endpoints));
}

AwsConfig AwsConfig::make(QByteArray region, CredentialsProvider provider, QHash<QByteArray, QUrl> endpoints)
{
    AwsConfig config;
    config.m_region = std::move(region);
    config.m_provider = std::move(provider);
    config.m_endpoints = std::move(endpoints);
    return config;
}

QByteArray AwsConfig::signingRegion(const QByteArray &serviceId) const
{
    if (!m_region.isEmpty())
        return m_region;
    return endpointOverride(serviceId).isEmpty() ? QByteArray() : QByteArrayLiteral("us-east-1");
}

QByteArray awsDomain(const QByteArray &region)
{
    return region.startsWith("cn-") ? QByteArrayLiteral("amazonaws.com.cn") : QByteArrayLiteral("amazonaws.com");
}

QUrl AwsConfig::serviceEndpoint(const QByteArray &serviceId) const
{
    const QUrl custom = endpointOverride(serviceId);
    if (!custom.isEmpty())
        return custom;
    return QUrl(QString::fromLatin1("https://" + serviceId + '.' + m_region + '.' + awsDomain(m_region)));
}

QUrl AwsConfig::endpointOverride(const QByteArray &serviceId) const { return m_endpoints.value(serviceId.toLower()); }

Result<AwsCredentials> AwsConfig::credentials() const
{
    return m_provider ? m_provider() : resolveCredentialsFromEnvironment();
}

Result<AwsCredentials> resolveCredentialsFromEnvironment()
{
    const QByteArray keyId = env("AWS_ACCESS_KEY_ID");
    const QByteArray secret = env("AWS_SECRET_ACCESS_KEY");
    if (!keyId.isEmpty() && !secret.isEmpty())
        return AwsCredentials{keyId, secret, env("AWS_SESSION_TOKEN")};
    if (!keyId.isEmpty() || !secret.isEmpty()) {
        // Half a key pair is a configuration mistake; silently using another identity from the
        // shared files would hide it.
        return makeError(Error::Code::PermissionDenied,
                         keyId.isEmpty() ? tr("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
                                         : tr("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
    }

    const QString profileName = AwsConfig::profileFromEnvironment();
    const QString credentialsPath = AwsConfig::credentialsFilePath();
    const QString configPath = AwsConfig::configFilePath();
    const auto credentialsFile = AwsSharedFile::read(credentialsPath);
    const auto credentialsIt = credentialsFile.constFind(profileName.toUtf8());
    if (credentialsIt != credentialsFile.cend() && hasKeys(*credentialsIt))
        return credentialsFromProfile(*credentialsIt, profileName, credentialsPath);

    const auto configFile = AwsSharedFile::read(configPath);
    const AwsProfile profile = configProfile(configFile, profileName);
    if (hasKeys(profile))
        return credentialsFromProfile(profile, profileName, configPath);

    for (const char *source : kUnsupportedSources) {
        if (profile.contains(source) || (credentialsIt != credentialsFile.cend() && credentialsIt->contains(source))) {
            return makeError(Error::Code::PermissionDenied,
                             tr("profile '%1' uses %2, which MediaTriage does not support; put access keys in %3 "
                                "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (for example with "
                                "`aws configure export-credentials --format env`)")
                                 .arg(profileName, QString::fromLatin1(source), QDir::toNativeSeparators(credentialsPath)));
        }
    }
    return makeError(Error::Code::PermissionDenied,
                     tr("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add profile "
                        "'%1' with aws_access_key_id and aws_secret_access_key to %2 (AWS_PROFILE selects the profile)")
                         .arg(profileName, QDir::toNativeSeparators(credentialsPath)));
}

} // namespace mt::aws
