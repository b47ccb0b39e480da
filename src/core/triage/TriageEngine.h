#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "gemini/GeminiConfig.h"
#include "gemini/UsageMeter.h"
#include "media/MediaItem.h"
#include "triage/CostEstimate.h"
#include "triage/MediaPreparer.h"
#include "triage/Verdict.h"

#include <QCoreApplication>

#include <functional>
#include <optional>
#include <vector>

namespace mt {

class VerdictStore;

struct TriageProgress {
    enum class Stage { Reading, Judging, Done };
    Stage stage = Stage::Reading;
    int done = 0;
    int total = 0;
    qint64 promptTokens = 0;
    qint64 outputTokens = 0;
};

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
    std::function<void(const TriageProgress &)> progress; // on the calling thread
    // An extra line for an item's metadata block (the local quality measurements as hints);
    // called from preparation threads; empty for none.
    std::function<QString(const MediaItem &)> hint;
};

struct TriageRun {
    QString model;
    std::vector<TriageItemResult> items; // same order as the input
    gemini::UsageTotals usage;
    CostEstimate estimate;
    std::optional<Error> stopped; // why the run ended early: key/model/quota, cancel, budget
    int sentItems = 0;
    qint64 sentOriginalBytes = 0; // size of the files that were sent
    qint64 sentBytes = 0;         // what went over the wire for them (before base64)
};

// Triage with Gemini: pre-filters (short clips, unreadable files, exact duplicates, Live Photo
// clips), verdicts already in the store, then the rest in batches through a pipeline — media
// prepared (and videos uploaded) on a pool while earlier batches are being judged, a few requests
// in flight — with every batch's verdicts written to the store as it returns. Synchronous: call it
// from a worker thread; progress comes back on that thread.
class TriageEngine {
    Q_DECLARE_TR_FUNCTIONS(TriageEngine)
public:
    TriageEngine(gemini::GeminiConfig config, VerdictStore *store, MediaPreparer preparer = MediaPreparer::makeDefault());

    TriageRun run(const std::vector<MediaItem> &items, const TriageOptions &options,
                  const CancellationToken &token = {});

private:
    gemini::GeminiConfig m_config;
    VerdictStore *m_store;
    MediaPreparer m_preparer;
};

} // namespace mt
