#include "net/RequestRateLimiter.h"

#include "net/CancellableSleep.h"

#include <map>
#include <memory>

namespace mt::net {

using std::chrono::milliseconds;

RequestRateLimiter::RequestRateLimiter(int requestsPerMinute, qint64 tokensPerMinute, std::function<Clock::time_point()> now)
    : m_requestsPerMinute(std::max(0, requestsPerMinute)), m_tokensPerMinute(std::max<qint64>(0, tokensPerMinute)),
      m_now(now ? std::move(now) : [] { return Clock::now(); })
{
}

milliseconds RequestRateLimiter::delayLocked(qint64 tokens, Clock::time_point now)
{
    while (!m_window.empty() && now - m_window.front().at >= kWindow) {
        m_windowTokens -= m_window.front().tokens;
        m_window.pop_front();
    }
    auto fits = [&](size_t requests, qint64 used) {
        const bool requestsFit = m_requestsPerMinute == 0 || requests < size_t(m_requestsPerMinute);
        const bool tokensFit = m_tokensPerMinute == 0 || used + tokens <= m_tokensPerMinute || requests == 0;
        return requestsFit && tokensFit;
    };
    // The earliest moment enough of the oldest bookings have left the window.
    size_t requests = m_window.size();
    qint64 used = m_windowTokens;
    if (fits(requests, used))
        return milliseconds(0);
    for (const Booked &b : m_window) {
        --requests;
        used -= b.tokens;
        if (fits(requests, used))
            return std::chrono::ceil<milliseconds>(b.at + kWindow - now);
    }
    return std::chrono::ceil<milliseconds>(kWindow);
}

milliseconds RequestRateLimiter::delayFor(qint64 tokens)
{
    std::lock_guard lock(m_mutex);
    return delayLocked(tokens, m_now());
}

void RequestRateLimiter::book(qint64 tokens)
{
    std::lock_guard lock(m_mutex);
    m_window.push_back({m_now(), tokens});
    m_windowTokens += tokens;
}

bool RequestRateLimiter::acquire(qint64 tokens, const CancellationToken &token)
{
    for (;;) {
        milliseconds wait{0};
        {
            std::lock_guard lock(m_mutex);
            const Clock::time_point now = m_now();
            wait = delayLocked(tokens, now);
            if (wait.count() == 0) {
                m_window.push_back({now, tokens});
                m_windowTokens += tokens;
                return true;
            }
        }
        // Woken at most every second: other threads' bookings may have changed the answer.
        if (!sleepCancellable(std::min(wait, milliseconds(1000)), token))
            return false;
    }
}

RequestRateLimiter *RequestRateLimiter::forLimits(int requestsPerMinute, qint64 tokensPerMinute)
{
    if (requestsPerMinute <= 0 && tokensPerMinute <= 0)
        return nullptr;
    static std::mutex mutex;
    static std::map<std::pair<int, qint64>, std::unique_ptr<RequestRateLimiter>> limiters;
    std::lock_guard lock(mutex);
    auto &limiter = limiters[{requestsPerMinute, tokensPerMinute}];
    if (!limiter)
        limiter = std::make_unique<RequestRateLimiter>(requestsPerMinute, tokensPerMinute);
    return limiter.get();
}

bool RequestRateLimiter::admit(int requestsPerMinute, qint64 tokensPerMinute, qint64 tokens, const CancellationToken &token)
{
    RequestRateLimiter *limiter = forLimits(requestsPerMinute, tokensPerMinute);
    return !limiter || limiter->acquire(tokens, token);
}

} // namespace mt::net
