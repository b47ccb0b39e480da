#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>

namespace mt {

// Hands work between the stages of a run. A capacity bounds how far a producer runs ahead (0 =
// unbounded).
template <typename T>
class BlockingQueue {
public:
    explicit BlockingQueue(size_t capacity = 0) : m_capacity(capacity) {}

    void push(T value)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_capacity == 0 || m_items.size() < m_capacity; });
        m_items.push_back(std::move(value));
        m_notEmpty.notify_one();
    }

    T pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return !m_items.empty(); });
        T value = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return value;
    }

private:
    size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<T> m_items;
};

} // namespace mt
