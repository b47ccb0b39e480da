#pragma once

#include "common/Result.h"
#include "gemini/UsageMeter.h"
#include "media/MediaItem.h"
#include "triage/CostEstimate.h"
#include "triage/Verdict.h"

#include <QStringList>

#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace mt {

struct TriageProgress {
    enum class Stage { Reading, Judging, Done };
    Stage stage = Stage::Reading;
    int done = 0;
    int total = 0;
    qint64 promptTokens = 0;
    qint64 outputTokens = 0;
    int quotaWaitSeconds = 0; // > 0 while Gemini's rate limit makes the run wait ("waiting for quota (N s)")
};

// How a run judges: batching and pipelining for Gemini, the pre-filter thresholds, the budget, and
// the callbacks through which a front takes part (progress, the cost question).
struct TriageOptions {
    bool includeLocation = false;     // location enters the prompt only when the person opts in
    int maxBatchItems = 20;
    qint64 maxBatchBytes = 16 << 20;  // inline payload (base64) per request, far below the API limit
    int requestsInFlight = 3;
    int preparationThreads = 4;       // photo decoding is CPU-bound, uploads wait on the network
    bool pipelined = true;            // false: prepare everything, then send batches one by one
    int maxReasks = 2;
    double minClipSeconds = 2.0;      // shorter clips are discarded locally as accidental
    double liveClipMaxSeconds = 4.0;  // a same-named clip this short next to a still is its Live Photo motion
    std::optional<double> budgetUsd;  // stop cleanly before a request would exceed it
    std::optional<ModelPrice> price;  // default: ModelPrice::forModel
    int thinkingAllowance = 2048;
    // Called once before any request; return false to stop without spending anything.
    std::function<bool(const CostEstimate &)> confirmEstimate;
    // Progress; may be called from worker threads, one call at a time.
    std::function<void(const TriageProgress &)> progress;
    // An extra line for an item's metadata block (the local quality measurements as hints);
    // called from preparation threads; empty for none.
    std::function<QString(const MediaItem &)> hint;
};

// Everything a run produced, whatever engine judged.
struct TriageRun {
    QString engine; // "gemini", "local" or "local-first"
    QString model;  // empty for the offline engine
    std::vector<TriageItemResult> items; // same order as the input
    gemini::UsageTotals usage;
    CostEstimate estimate;
    std::optional<Error> stopped; // why the run ended early: key/model/quota, cancel, budget
    bool setupFailed = false;     // stopped before judging anything: no key, bad model, no store
    QStringList notices;          // said once to the person (a damaged store was moved aside)
    int unsavedVerdicts = 0;      // paid for but not written to the store: they would be paid again
    int sentItems = 0;
    qint64 sentOriginalBytes = 0; // size of the files that were sent
    qint64 sentBytes = 0;         // what went over the wire for them (before base64)
};

// Progress reporting shared by the engines: keeps the running figures, calls the front's callback.
class ProgressReporter {
public:
    ProgressReporter(const TriageOptions &options, int total) : m_callback(options.progress) { m_progress.total = total; }
    void stage(TriageProgress::Stage stage, int done)
    {
        std::lock_guard l(m_mutex);
        m_progress.stage = stage;
        m_progress.done = done;
        report();
    }
    void advance(int count, const gemini::UsageTotals &usage)
    {
        std::lock_guard l(m_mutex);
        m_progress.done += count;
        m_progress.promptTokens = usage.promptTokens;
        m_progress.outputTokens = usage.outputTokens;
        report();
    }
    // From any thread: a 429 makes the run wait this long (0: the wait is over).
    void waitingForQuota(int seconds)
    {
        std::lock_guard l(m_mutex);
        m_progress.quotaWaitSeconds = seconds;
        report();
    }
    int done() const
    {
        std::lock_guard l(m_mutex);
        return m_progress.done;
    }

private:
    void report() const
    {
        if (m_callback)
            m_callback(m_progress);
    }

    mutable std::mutex m_mutex;
    std::function<void(const TriageProgress &)> m_callback;
    TriageProgress m_progress;
};

} // namespace mt
