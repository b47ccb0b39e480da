#pragma once

#include "aws/AwsConfig.h"
#include "aws/AwsRequestSender.h"
#include "common/Cancellation.h"
#include "common/Result.h"

#include <QString>

namespace mt::aws {

using SsmClientOptions = AwsCallOptions;

// SSM Parameter Store GetParameter over the AWS JSON 1.1 protocol (aws-sigv4-s3-ssm.md §4.1).
// The value is a secret: it is never logged or put into an error message. One object per thread.
class SsmClient {
public:
    explicit SsmClient(AwsConfig config);
    SsmClient(AwsConfig config, SsmClientOptions options);

    // The parameter's value (SecureString decrypted when withDecryption). NotFound when the
    // parameter (or version) does not exist, PermissionDenied for IAM/KMS/credential problems,
    // Network/Timeout when SSM cannot be reached or keeps throttling, Corrupt for an unreadable answer.
    Result<QString> getParameter(const QString &name, bool withDecryption = true, const CancellationToken &token = {});

    int lastAttempts() const { return m_sender.lastAttempts(); }

private:
    AwsConfig m_config;
    SsmClientOptions m_options;
    AwsRequestSender m_sender;
};

} // namespace mt::aws
