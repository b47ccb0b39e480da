#pragma once

#include "aws/AwsConfig.h"
#include "aws/AwsRequestSender.h"
#include "common/Cancellation.h"
#include "common/Result.h"

#include <QByteArray>
#include <QString>

namespace mt::aws {

using LambdaInvokerOptions = AwsCallOptions;

// Lambda Invoke API, used for the asynchronous self-invoke of long work behind the HTTP API.
// One object per thread.
class LambdaInvoker {
public:
    explicit LambdaInvoker(AwsConfig config);
    LambdaInvoker(AwsConfig config, LambdaInvokerOptions options);

    // POST /2015-03-31/functions/<name>/invocations, X-Amz-Invocation-Type: Event, SigV4 service
    // "lambda"; success is 202. `functionName` is a name, a partial or full ARN, optionally with
    // ":qualifier". Throttling and server errors are retried; transport failures are not (the event
    // may already have been queued, and a second one would run the work twice).
    Status invokeAsync(const QString &functionName, const QByteArray &payload, const CancellationToken &token = {});

    int lastAttempts() const { return m_sender.lastAttempts(); }

private:
    AwsConfig m_config;
    LambdaInvokerOptions m_options;
    AwsRequestSender m_sender;
};

} // namespace mt::aws
