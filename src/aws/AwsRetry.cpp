#include "aws/AwsRetry.h"

#include <QRandomGenerator>
#include <QThread>

#include <algorithm>

namespace mt::aws {

std::chrono::milliseconds RetryPolicy::delayBefore(int retry) const
{
    if (retry < 1 || baseDelay.count() <= 0)
        return std::chrono::milliseconds(0);
    const int shift = std::min(retry - 1, 20);
    const qint64 capped = std::min<qint64>(qint64(baseDelay.count()) << shift, std::max(maxDelay, baseDelay).count());
    const qint64 half = capped / 2;
    return std::chrono::milliseconds(half + qint64(QRandomGenerator::global()->bounded(quint64(capped - half + 1))));
}

bool sleepUnlessCancelled(std::chrono::milliseconds delay, const CancellationToken &token)
{
    using Clock = std::chrono::steady_clock;
    const auto end = Clock::now() + delay;
    while (!token.isCancelled()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
        if (left.count() <= 0)
            return true;
        QThread::msleep(static_cast<unsigned long>(std::min<qint64>(left.count(), 20)));
    }
    return false;
}

} // namespace mt::aws
