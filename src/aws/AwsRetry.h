#pragma once

#include "common/Cancellation.h"

#include <chrono>

namespace mt::aws {

// Exponential backoff with jitter for throttling, 5xx and transport failures (aws-sigv4-s3-ssm.md
// §3.9). Few attempts and short delays: a Lambda invocation has a deadline, and callers that need
// more patience retry at their own level. Tests shrink the delays to stay fast.
struct RetryPolicy {
    int maxAttempts = 4; // including the first
    std::chrono::milliseconds baseDelay{100};
    std::chrono::milliseconds maxDelay{5000};

    // Delay before retry number `retry` (1 = first retry): base·2^(retry-1), capped, with the upper
    // half randomised so many clients throttled together do not come back in step.
    std::chrono::milliseconds delayBefore(int retry) const;

    static RetryPolicy none() { return RetryPolicy{1, std::chrono::milliseconds(0), std::chrono::milliseconds(0)}; }
};

// Sleeps in short slices; false when the token was cancelled (or its deadline passed) meanwhile.
bool sleepUnlessCancelled(std::chrono::milliseconds delay, const CancellationToken &token);

} // namespace mt::aws
