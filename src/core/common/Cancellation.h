#pragma once

#include <atomic>
#include <chrono>
#include <memory>

namespace mt {

// Shared flag a caller sets to ask long work to stop; the work polls it between steps.
// Copies share state, so the UI keeps one and hands copies to workers. An optional deadline
// turns the same mechanism into a per-item time limit.
class CancellationToken {
public:
    CancellationToken() : m_state(std::make_shared<State>()) {}

    void cancel() const { m_state->cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const
    {
        return m_state->cancelled.load(std::memory_order_relaxed) || deadlinePassed();
    }
    bool deadlinePassed() const
    {
        const auto deadline = m_state->deadline.load(std::memory_order_relaxed);
        return deadline != Clock::time_point::max().time_since_epoch().count()
            && Clock::now().time_since_epoch().count() >= deadline;
    }
    void setTimeout(std::chrono::milliseconds timeout) const
    {
        m_state->deadline.store((Clock::now() + timeout).time_since_epoch().count(), std::memory_order_relaxed);
    }

private:
    using Clock = std::chrono::steady_clock;
    struct State {
        std::atomic<bool> cancelled{false};
        std::atomic<Clock::rep> deadline{Clock::time_point::max().time_since_epoch().count()};
    };
    std::shared_ptr<State> m_state;
};

} // namespace mt
