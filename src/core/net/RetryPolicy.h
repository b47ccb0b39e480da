#pragma once

#include <chrono>
#include <optional>

namespace mt::net {

// What the caller made of one failed attempt. Only the caller knows which statuses and transport
// errors of its service are transient, and where that service says how long to wait.
struct FailedAttempt {
    bool transient = false;
    std::optional<std::chrono::milliseconds> retryAfter; // Retry-After header, Gemini's RetryInfo
};

// Whether to try again after a failed attempt, and after how long.
struct RetryDecision {
    enum class Verdict {
        Retry,          // wait `delay`, then try again
        Permanent,      // the caller judged the failure not transient
        OutOfAttempts,  // transient, but every attempt is used up
        ServerWaitTooLong, // the server asked for a wait beyond maxServerDelay: "try again later"
    };
    Verdict verdict = Verdict::Permanent;
    std::chrono::milliseconds delay{0};

    bool retry() const { return verdict == Verdict::Retry; }
};

// How often and how patiently a failed request is tried again, for every HTTP client of the
// product: exponential backoff from initialDelay doubling up to maxDelay, with jitter so that many
// clients throttled together do not come back in step, and never sooner than the server asked.
// The default is "no retry"; each service states its own values (GeminiConfig, AwsRetry.h) and
// tests shrink them to milliseconds.
struct RetryPolicy {
    int maxAttempts = 1; // including the first
    std::chrono::milliseconds initialDelay{0};
    std::chrono::milliseconds maxDelay{0};
    // A random extra wait, uniform in [0, maxJitter] (Google's SDKs add up to 1 s).
    std::chrono::milliseconds maxJitter{0};
    // The part of the backoff drawn at random below it: 0.5 waits uniformly between half and all
    // of it (AWS's "equal jitter"). Clamped to [0, 1].
    double jitterFraction = 0.0;
    // A server asking for a longer wait than this is not waited for: the failure is returned so
    // that the run is not blocked for minutes.
    std::chrono::milliseconds maxServerDelay{std::chrono::minutes(2)};

    // The wait before retry number `retry` (1 = the first retry) when the server asked for none:
    // min(initialDelay·2^(retry-1), maxDelay), jittered as above.
    std::chrono::milliseconds backoff(int retry) const;

    // After failed attempt number `attempt` (1 = the first): the backoff, or the server's own wait
    // when that is longer (Gemini's documented max(retryDelay, backoff)).
    RetryDecision decide(int attempt, const FailedAttempt &failure) const;

    static RetryPolicy none() { return RetryPolicy{}; }
};

} // namespace mt::net
