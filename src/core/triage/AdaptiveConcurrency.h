#pragma once

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace mt {

// How many Gemini requests may be in flight: halved when the service answers 429 (rate limits are
// per project, shared with every other user of the key; gemini-rest.md §8.3), raised by one again
// after `kRaiseAfter` answered requests in a row without one, never above the configured maximum.
class AdaptiveConcurrency {
public:
    static constexpr int kRaiseAfter = 8;

    explicit AdaptiveConcurrency(int maximum) : m_max(std::max(1, maximum)), m_limit(m_max) {}

    // Blocks until a request may start.
    void acquire()
    {
        std::unique_lock l(m_mutex);
        m_changed.wait(l, [this] { return m_inFlight < m_limit; });
        ++m_inFlight;
    }
    void release()
    {
        {
            std::lock_guard l(m_mutex);
            --m_inFlight;
            if (++m_calm >= kRaiseAfter && m_limit < m_max) {
                ++m_limit;
                m_calm = 0;
            }
        }
        m_changed.notify_all();
    }
    // A 429 was answered.
    void throttled()
    {
        std::lock_guard l(m_mutex);
        m_limit = std::max(1, m_limit / 2);
        m_calm = 0;
    }
    int limit() const
    {
        std::lock_guard l(m_mutex);
        return m_limit;
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    const int m_max;
    int m_limit;
    int m_inFlight = 0;
    int m_calm = 0;
};

} // namespace mt
