#include "lambda/InvocationWatchdog.h"

#include <chrono>

namespace mt::lambda {

namespace {

// A POST to the Runtime API on localhost takes milliseconds; the rest is slack for a busy machine.
constexpr qint64 kAnswerBeforeDeadlineMs = 500;

} // namespace

InvocationWatchdog::InvocationWatchdog(qint64 answerAtMs, Expired expired) : m_expired(std::move(expired))
{
    if (answerAtMs > 0)
        m_thread = std::thread([this, answerAtMs] { watch(answerAtMs); });
}

InvocationWatchdog::~InvocationWatchdog()
{
    finish();
    if (m_thread.joinable())
        m_thread.join();
}

bool InvocationWatchdog::finish()
{
    std::lock_guard lock(m_mutex);
    if (m_fired)
        return false;
    m_finished = true;
    m_wake.notify_all();
    return true;
}

qint64 InvocationWatchdog::answerAtMs(qint64 deadlineMs)
{
    return deadlineMs > 0 ? deadlineMs - kAnswerBeforeDeadlineMs : 0;
}

void InvocationWatchdog::watch(qint64 answerAtMs)
{
    const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(answerAtMs));
    {
        std::unique_lock lock(m_mutex);
        if (m_wake.wait_until(lock, at, [this] { return m_finished; }))
            return;
        m_fired = true;
    }
    m_expired();
}

} // namespace mt::lambda
