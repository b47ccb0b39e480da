#pragma once

#include <QtGlobal>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mt::lambda {

// The last line of the deadline: handlers stop their work at a safety margin through tokens, but
// some library calls cannot be stopped (libheif's decode, an encoder's final flush). If the
// invocation is still running at `answerAtMs` (Unix epoch milliseconds), `expired` runs on the
// watchdog's own thread; it answers the invocation and ends the process, since the stuck thread
// cannot be reclaimed. Otherwise finish() disarms it and the handler's own answer goes out.
class InvocationWatchdog {
public:
    using Expired = std::function<void()>;

    // No watchdog when `answerAtMs` is 0 (the deadline is unknown).
    InvocationWatchdog(qint64 answerAtMs, Expired expired);
    ~InvocationWatchdog();
    InvocationWatchdog(const InvocationWatchdog &) = delete;
    InvocationWatchdog &operator=(const InvocationWatchdog &) = delete;

    // True when the handler's answer may be posted; false when the watchdog answered first.
    bool finish();

    // When to answer at the latest: a little before the deadline, time for one local POST.
    static qint64 answerAtMs(qint64 deadlineMs);

private:
    void watch(qint64 answerAtMs);

    Expired m_expired;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_finished = false;
    bool m_fired = false;
    std::thread m_thread;
};

} // namespace mt::lambda
