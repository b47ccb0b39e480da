#include "net/CancellableSleep.h"

#include <algorithm>
#include <thread>

namespace mt::net {

bool sleepCancellable(std::chrono::milliseconds duration, const CancellationToken &token)
{
    // The token cannot wake a sleeper (it is a lock-free flag polled by every step of the core),
    // so the wait is cut into slices short enough that a cancel ends it well within the ~50 ms a
    // person perceives as immediate, while the thread still sleeps rather than spins.
    constexpr std::chrono::milliseconds kSlice{5};
    using Clock = std::chrono::steady_clock;
    const Clock::time_point end = Clock::now() + duration;
    while (!token.isCancelled()) {
        const Clock::duration left = end - Clock::now();
        if (left <= Clock::duration::zero())
            return true;
        std::this_thread::sleep_for(std::min<Clock::duration>(left, kSlice));
    }
    return false;
}

} // namespace mt::net
