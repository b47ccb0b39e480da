#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>

namespace mt {

// Shared flag a caller sets to ask long work to stop; the work polls it between steps.
// Copies share state, so the UI keeps one and hands copies to workers. An optional deadline
// turns the same mechanism into a time limit, and withTimeout() gives one part of the work (one
// file) a limit of its own without putting the rest of the run on that clock.
class CancellationToken {
public:
    // Why work was asked to stop, so the error can say whose fault it was.
    enum class StopReason {
        None,
        Cancelled,      // cancel() on this token or one it was derived from: a person or a shutdown
        TimedOut,       // this token's own deadline: the item's budget
        ParentTimedOut, // the deadline of a token it was derived from (the run's, the invocation's)
    };

    CancellationToken() : m_state(std::make_shared<State>()) {}

    void cancel() const { m_state->cancelled.store(true, std::memory_order_relaxed); }

    // Polled per packet and per read: a few relaxed loads along a short chain and at most one
    // clock read, no locks.
    bool isCancelled() const
    {
        Clock::rep earliest = kNoDeadline;
        for (const State *s = m_state.get(); s; s = s->parent.get()) {
            if (s->cancelled.load(std::memory_order_relaxed))
                return true;
            earliest = std::min(earliest, s->deadline.load(std::memory_order_relaxed));
        }
        return earliest != kNoDeadline && now() >= earliest;
    }

    StopReason stopReason() const
    {
        const State &own = *m_state;
        if (own.cancelled.load(std::memory_order_relaxed))
            return StopReason::Cancelled;
        Clock::rep inherited = kNoDeadline;
        for (const State *s = own.parent.get(); s; s = s->parent.get()) {
            if (s->cancelled.load(std::memory_order_relaxed))
                return StopReason::Cancelled;
            inherited = std::min(inherited, s->deadline.load(std::memory_order_relaxed));
        }
        const Clock::rep ownDeadline = own.deadline.load(std::memory_order_relaxed);
        const Clock::rep earliest = std::min(ownDeadline, inherited);
        if (earliest == kNoDeadline || now() < earliest)
            return StopReason::None;
        // Both may have passed by now; the one that came first is the cause.
        return ownDeadline <= inherited ? StopReason::TimedOut : StopReason::ParentTimedOut;
    }

    void setTimeout(std::chrono::milliseconds timeout) const
    {
        m_state->deadline.store((Clock::now() + timeout).time_since_epoch().count(), std::memory_order_relaxed);
    }

    // A token for one part of the work: stopped whenever this one is, and on its own once
    // `timeout` (counted from now) has passed. Its running out leaves this token untouched.
    CancellationToken withTimeout(std::chrono::milliseconds timeout) const
    {
        CancellationToken child(m_state);
        child.setTimeout(timeout);
        return child;
    }

private:
    using Clock = std::chrono::steady_clock;
    static constexpr Clock::rep kNoDeadline = Clock::time_point::max().time_since_epoch().count();

    struct State {
        std::atomic<bool> cancelled{false};
        std::atomic<Clock::rep> deadline{kNoDeadline};
        // Fixed at construction, so reading it needs no synchronisation.
        std::shared_ptr<const State> parent;
    };

    explicit CancellationToken(std::shared_ptr<const State> parent) : m_state(std::make_shared<State>())
    {
        m_state->parent = std::move(parent);
    }

    static Clock::rep now() { return Clock::now().time_since_epoch().count(); }

    std::shared_ptr<State> m_state;
};

} // namespace mt
