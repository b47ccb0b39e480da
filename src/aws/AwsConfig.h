#pragma once

#include "aws/SigV4Signer.h"
#include "common/Result.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace mt::aws {

// One profile of the shared AWS files, the subset MediaTriage understands: flat keys
// ("region", "aws_access_key_id", ...) and, for `[services x]` sections, nested keys as
// "<service>.<key>" ("s3.endpoint_url").
using AwsProfile = QHash<QByteArray, QByteArray>;

// The shared config/credentials file format (INI-like, `#`/`;` comments, indented sub-keys
// under a key with an empty value). Section names are returned as written between the brackets
// (e.g. "profile dev", "default", "services local").
class AwsSharedFile {
public:
    static QHash<QByteArray, AwsProfile> parse(const QByteArray &text);
    // The file's sections, or none when it does not exist or cannot be read.
    static QHash<QByteArray, AwsProfile> read(const QString &path);
};

// Where credentials, region and endpoints come from (environment, then ~/.aws/config and
// ~/.aws/credentials, as the AWS SDKs do for the subset described in aws-sigv4-s3-ssm.md §5).
class AwsConfig {
public:
    using CredentialsProvider = std::function<Result<AwsCredentials>()>;

    // Region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region` (~/.aws/config,
    // AWS_CONFIG_FILE, profile AWS_PROFILE or default; "[profile x]" sections). Endpoints:
    // AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's [services] section, the profile's
    // endpoint_url; none of them with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or the profile's
    // ignore_configured_endpoint_urls).
    static AwsConfig fromEnvironment();

    // For tests and embedding: explicit values.
    static AwsConfig make(QByteArray region, AwsCredentials fixed, QHash<QByteArray, QUrl> endpoints = {});
    // Credentials from a callback, asked on every request (tests of expiring credentials).
    static AwsConfig make(QByteArray region, CredentialsProvider provider, QHash<QByteArray, QUrl> endpoints = {});

    QByteArray region() const { return m_region; }
    // The region to sign for: region(), or us-east-1 when none is configured but the service has
    // an endpoint override (local stand-ins ignore it); empty when neither is set.
    QByteArray signingRegion(const QByteArray &serviceId) const;
    QString profileName() const { return m_profile; }

    // The override for this service id ("s3", "ssm", "lambda") or an empty URL when the default
    // AWS endpoint applies.
    QUrl endpointOverride(const QByteArray &serviceId) const;
    // The override, or the regional AWS endpoint https://<serviceId>.<region>.<awsDomain>.
    QUrl serviceEndpoint(const QByteArray &serviceId) const;

    // Re-read on every call (Lambda credentials are temporary): environment AWS_ACCESS_KEY_ID/
    // AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, else the shared credentials file
    // (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile AWS_PROFILE/default), else the
    // profile in the config file; credentials-file values win over config-file ones. An error
    // whose message says what to set when none are found.
    Result<AwsCredentials> credentials() const;

    static QString configFilePath();      // AWS_CONFIG_FILE or ~/.aws/config
    static QString credentialsFilePath(); // AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials
    static QString profileFromEnvironment(); // AWS_PROFILE or "default"

private:
    QByteArray m_region;
    QString m_profile;
    QHash<QByteArray, QUrl> m_endpoints;
    CredentialsProvider m_provider; // empty: environment and shared files
};

// "amazonaws.com", or "amazonaws.com.cn" for the China regions.
QByteArray awsDomain(const QByteArray &region);

// Credentials as the environment and the shared files give them right now.
Result<AwsCredentials> resolveCredentialsFromEnvironment();

} // namespace mt::aws
