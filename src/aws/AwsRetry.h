#pragma once

#include "net/RetryPolicy.h"

#include <chrono>

namespace mt::aws {

using net::RetryPolicy;

// AWS's backoff for throttling, 5xx and transport failures (aws-sigv4-s3-ssm.md §3.9): 0.1 s
// doubling to 5 s, the upper half of each wait randomised, 4 attempts. Few attempts and short
// delays: a Lambda invocation has a deadline, and callers that need more patience retry at their
// own level. A Retry-After beyond 20 s (the document's longest backoff) is not waited for.
inline RetryPolicy awsRetryPolicy()
{
    using std::chrono::milliseconds;
    return RetryPolicy{.maxAttempts = 4,
                       .initialDelay = milliseconds(100),
                       .maxDelay = milliseconds(5000),
                       .maxJitter = milliseconds(0),
                       .jitterFraction = 0.5,
                       .maxServerDelay = milliseconds(20000)};
}

} // namespace mt::aws
