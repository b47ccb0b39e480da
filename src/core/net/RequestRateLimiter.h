#pragma once

#include "common/Cancellation.h"

#include <QtGlobal>

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>

namespace mt::net {

// Keeps a process's requests to one API under a requests-per-minute and an (input) tokens-per-
// minute budget, over a sliding one-minute window. Thread-safe. One limiter per budget per
// process (forLimits), so every client of the process shares it; a budget of 0 is unlimited.
// Several processes split a quota by each taking their share of it (the Lambda's shards).
class RequestRateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RequestRateLimiter(int requestsPerMinute, qint64 tokensPerMinute, std::function<Clock::time_point()> now = {});

    // Waits until one more request of `tokens` fits the window, then books it. False when the
    // cancellation token stopped the wait first (nothing is booked). A request larger than the
    // whole token budget waits for an empty window rather than forever.
    bool acquire(qint64 tokens, const CancellationToken &token = {});
    // How long acquire(tokens) would wait now; zero when it would go at once.
    std::chrono::milliseconds delayFor(qint64 tokens);
    // Books a request without waiting (what acquire does once the window has room).
    void book(qint64 tokens);

    // The process-wide limiter of this budget, or nullptr when both are 0 (unlimited).
    static RequestRateLimiter *forLimits(int requestsPerMinute, qint64 tokensPerMinute);
    // acquire() on the process-wide limiter of this budget; true at once when it is unlimited.
    static bool admit(int requestsPerMinute, qint64 tokensPerMinute, qint64 tokens, const CancellationToken &token);

    static constexpr std::chrono::seconds kWindow{60};

private:
    struct Booked {
        Clock::time_point at;
        qint64 tokens;
    };
    std::chrono::milliseconds delayLocked(qint64 tokens, Clock::time_point now);

    const int m_requestsPerMinute;
    const qint64 m_tokensPerMinute;
    std::function<Clock::time_point()> m_now;
    std::mutex m_mutex;
    std::deque<Booked> m_window; // oldest first
    qint64 m_windowTokens = 0;
};

} // namespace mt::net
