#include "triage/BatchAssembler.h"

namespace mt {

std::optional<std::vector<int>> BatchAssembler::add(int index, qint64 wireBytes, bool video)
{
    std::optional<std::vector<int>> closed;
    if (!m_current.empty() && (int(m_current.size()) >= m_maxItems || m_bytes + wireBytes > m_maxBytes
                               || (video && m_videos >= kMaxVideosPerRequest)))
        closed = finish();
    m_current.push_back(index);
    m_bytes += wireBytes;
    m_videos += video ? 1 : 0;
    return closed;
}

std::optional<std::vector<int>> BatchAssembler::finish()
{
    if (m_current.empty())
        return std::nullopt;
    std::vector<int> batch = std::move(m_current);
    m_current.clear();
    m_bytes = 0;
    m_videos = 0;
    return batch;
}

} // namespace mt
