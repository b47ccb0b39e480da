#include "triage/BatchAssembler.h"

namespace mt {

std::optional<std::vector<int>> BatchAssembler::add(int index, qint64 wireBytes)
{
    std::optional<std::vector<int>> closed;
    if (!m_current.empty() && (int(m_current.size()) >= m_maxItems || m_bytes + wireBytes > m_maxBytes))
        closed = finish();
    m_current.push_back(index);
    m_bytes += wireBytes;
    return closed;
}

std::optional<std::vector<int>> BatchAssembler::finish()
{
    if (m_current.empty())
        return std::nullopt;
    std::vector<int> batch = std::move(m_current);
    m_current.clear();
    m_bytes = 0;
    return batch;
}

} // namespace mt
