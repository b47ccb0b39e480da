#pragma once

#include "common/Cancellation.h"
#include "media/MediaItem.h"
#include "quality/QualityAnalyzer.h"
#include "triage/TriageRun.h"

#include <functional>
#include <vector>

namespace mt::quality {

// "Send only uncertain items to Gemini": the offline engine judges everything first; its
// confident verdicts stand (no tokens spent on a black frame), the rest — uncertain verdicts and
// files it could not analyse — go to Gemini with the offline measurements added to each item's
// metadata block as hints.
class LocalFirstTriage {
public:
    static LocalFirstTriage plan(const std::vector<MediaItem> &items, const AnalyzeOptions &options = {},
                                 const CancellationToken &token = {});

    // What Gemini still has to judge, in the original order.
    const std::vector<MediaItem> &forGemini() const { return m_forGemini; }
    int settledLocally() const { return int(m_analyses.size() - m_forGemini.size()); }
    // For TriageOptions::hint: one line of offline measurements per item.
    std::function<QString(const MediaItem &)> hints() const;
    // Gemini's run over forGemini() plus the settled local verdicts, in the original order.
    TriageRun merge(TriageRun geminiRun) const;

private:
    std::vector<ItemAnalysis> m_analyses;
    std::vector<MediaItem> m_forGemini;
};

// An offline verdict in the triage engine's result type (source Local).
TriageItemResult toTriageResult(const ItemAnalysis &analysis, const QString &contentHash);

} // namespace mt::quality
