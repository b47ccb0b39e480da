#pragma once

#include <QtGlobal>

#include <algorithm>
#include <optional>
#include <vector>

namespace mt {

// Fills Gemini requests in the order items become ready: a batch is full at `maxItems` items, at
// kMaxVideosPerRequest videos, or when the next item would push its inline payload past `maxBytes`
// (a single oversized item still travels alone). Pure bookkeeping, so the rules are unit-tested
// apart from the network.
class BatchAssembler {
public:
    // Google documents at most 10 videos per prompt (Vertex AI "Video understanding" page,
    // https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/video-understanding;
    // gemini-rest.md §8.2); a request over it is rejected whole.
    static constexpr int kMaxVideosPerRequest = 10;

    BatchAssembler(int maxItems, qint64 maxBytes) : m_maxItems(std::max(1, maxItems)), m_maxBytes(maxBytes) {}

    // Adds an item; returns the batch that had to be closed to make room for it, if any.
    std::optional<std::vector<int>> add(int index, qint64 wireBytes, bool video = false);
    // The last, partly filled batch, if any.
    std::optional<std::vector<int>> finish();

private:
    int m_maxItems;
    qint64 m_maxBytes;
    std::vector<int> m_current;
    qint64 m_bytes = 0;
    int m_videos = 0;
};

} // namespace mt
