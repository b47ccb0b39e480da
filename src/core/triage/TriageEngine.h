#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "gemini/GeminiConfig.h"
#include "media/MediaItem.h"
#include "triage/MediaPreparer.h"
#include "triage/TriageEntry.h"
#include "triage/TriageRun.h"

#include <QCoreApplication>

#include <vector>

namespace mt {

class VerdictStore;
struct ItemOutcome;

// The Gemini engine: pre-filters (short clips, unreadable files, exact duplicates, Live Photo
// clips), verdicts already in the store, the estimate, then the rest through GeminiPipeline, with
// every batch's verdicts written to the store as it returns. Synchronous: call it from a worker
// thread. Fronts do not use it directly: TriageSession chooses the engine.
class TriageEngine {
    Q_DECLARE_TR_FUNCTIONS(TriageEngine)
public:
    TriageEngine(gemini::GeminiConfig config, VerdictStore *store, MediaPreparer preparer = MediaPreparer::makeDefault());

    TriageRun run(const std::vector<MediaItem> &items, const TriageOptions &options,
                  const CancellationToken &token = {});

    // Called before anything is sent (and only when something is to be sent): the free key and
    // model check; an error stops the run as a setup failure.
    std::function<Status()> beforeSending;

private:
    std::vector<TriageEntry> readEntries(const std::vector<MediaItem> &items, const CancellationToken &token) const;
    std::vector<int> applyPrefilters(std::vector<TriageEntry> &entries, const TriageOptions &options, TriageRun &run) const;
    std::vector<int> lookupStored(const std::vector<TriageEntry> &entries, const std::vector<int> &candidates,
                                  TriageRun &run) const;
    bool confirmSending(std::vector<int> &toSend, const std::vector<TriageEntry> &entries, const TriageOptions &options,
                        TriageRun &run) const;
    void sendToGemini(const std::vector<int> &toSend, const std::vector<TriageEntry> &entries, const TriageOptions &options,
                      ProgressReporter &progress, TriageRun &run, const CancellationToken &token);
    void storeBatch(const std::vector<ItemOutcome> &batch, const std::vector<TriageEntry> &entries, TriageRun &run);
    static void shareFollowerVerdicts(const std::vector<TriageEntry> &entries, TriageRun &run);

    gemini::GeminiConfig m_config;
    VerdictStore *m_store;
    MediaPreparer m_preparer;
};

} // namespace mt
