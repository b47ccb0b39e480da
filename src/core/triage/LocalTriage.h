#pragma once

#include "common/Cancellation.h"
#include "media/MediaItem.h"
#include "quality/QualityAnalyzer.h"
#include "triage/TriageRun.h"

#include <QCoreApplication>

#include <vector>

namespace mt {

// The offline engine as a triage run: the local quality analysis (signals, judge, Live Photo
// pairing, near-duplicate groups) plus the content hash the trash checks. No key, no network,
// no cost, nothing stored.
class LocalTriage {
    Q_DECLARE_TR_FUNCTIONS(LocalTriage)
public:
    static TriageRun run(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token);

    // The pre-filter thresholds of a triage, for the offline analysis (also the local-first plan).
    static quality::AnalyzeOptions analyzeOptions(const TriageOptions &options);
};

} // namespace mt
