#include "net/RetryPolicy.h"

#include <QRandomGenerator>

#include <algorithm>

namespace mt::net {

using std::chrono::milliseconds;

namespace {

// Uniform in [0, bound].
qint64 randomUpTo(qint64 bound)
{
    return bound > 0 ? qint64(QRandomGenerator::global()->bounded(quint64(bound) + 1)) : 0;
}

} // namespace

milliseconds RetryPolicy::backoff(int retry) const
{
    if (retry < 1)
        return milliseconds(0);
    const qint64 initial = std::max<qint64>(initialDelay.count(), 0);
    const qint64 cap = std::max<qint64>(maxDelay.count(), initial);
    // Shifting by more than 20 would only overflow: 2^20 times any sane initial delay is past any cap.
    const qint64 exponential = std::min<qint64>(initial << std::min(retry - 1, 20), cap);
    const double fraction = std::clamp(jitterFraction, 0.0, 1.0);
    const qint64 randomPart = qint64(double(exponential) * fraction);
    return milliseconds(exponential - randomUpTo(randomPart) + randomUpTo(maxJitter.count()));
}

RetryDecision RetryPolicy::decide(int attempt, const FailedAttempt &failure) const
{
    using Verdict = RetryDecision::Verdict;
    if (!failure.transient)
        return {Verdict::Permanent, milliseconds(0)};
    if (attempt >= maxAttempts)
        return {Verdict::OutOfAttempts, milliseconds(0)};
    if (failure.retryAfter && *failure.retryAfter > maxServerDelay)
        return {Verdict::ServerWaitTooLong, *failure.retryAfter};
    const milliseconds computed = backoff(attempt);
    return {Verdict::Retry, failure.retryAfter ? std::max(computed, *failure.retryAfter) : computed};
}

} // namespace mt::net
