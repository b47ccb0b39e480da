#pragma once

#include "gemini/GeminiTypes.h"

#include <mutex>

namespace mt::gemini {

// Token totals of a run, shared by every client of the run (they live on different threads).
struct UsageTotals {
    int requests = 0; // generateContent calls that were answered (and billed)
    qint64 promptTokens = 0;
    qint64 outputTokens = 0; // visible answer + thinking, both billed as output
    qint64 totalTokens = 0;
};

class UsageMeter {
public:
    void add(const TokenUsage &usage)
    {
        std::lock_guard lock(m_mutex);
        ++m_totals.requests;
        m_totals.promptTokens += usage.promptTokens;
        m_totals.outputTokens += usage.outputTokens();
        m_totals.totalTokens += usage.totalTokens;
    }
    UsageTotals totals() const
    {
        std::lock_guard lock(m_mutex);
        return m_totals;
    }

private:
    mutable std::mutex m_mutex;
    UsageTotals m_totals;
};

} // namespace mt::gemini
