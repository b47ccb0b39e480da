// ~/.aws/config and ~/.aws/credentials are hand-edited files: AwsSharedFile parses them and
// AwsConfig resolves region, endpoints and credentials from what it found.
#include "FuzzSupport.h"
#include "aws/AwsConfig.h"

using namespace mt::aws;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    mt::fuzz::silenceQtLogging();
    for (const char *name : {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID",
                             "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                             "AWS_ENDPOINT_URL_S3", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"})
        qunsetenv(name);
    const QString dir = mt::fuzz::scratch().path();
    qputenv("AWS_CONFIG_FILE", (dir + QStringLiteral("/config")).toLocal8Bit());
    qputenv("AWS_SHARED_CREDENTIALS_FILE", (dir + QStringLiteral("/credentials")).toLocal8Bit());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)AwsSharedFile::parse(mt::fuzz::bytes(data, size));
    // The same text as both files, resolved the way every client resolves its configuration.
    if (!mt::fuzz::writeScratchFile(AwsConfig::configFilePath(), data, size)
        || !mt::fuzz::writeScratchFile(AwsConfig::credentialsFilePath(), data, size))
        return 0;
    const AwsConfig config = AwsConfig::fromEnvironment();
    for (const QByteArray &service : {QByteArray("s3"), QByteArray("ssm"), QByteArray("lambda")}) {
        (void)config.signingRegion(service);
        (void)config.serviceEndpoint(service);
    }
    (void)config.credentials();
    return 0;
}
