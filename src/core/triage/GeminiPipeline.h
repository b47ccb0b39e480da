#pragma once

#include "common/Cancellation.h"
#include "gemini/GeminiConfig.h"
#include "gemini/UsageMeter.h"
#include "triage/CostEstimate.h"
#include "triage/MediaPreparer.h"
#include "triage/TriageEntry.h"

#include <QCoreApplication>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace mt {

struct TriageOptions;

// What Gemini (or the way to it) said about one item.
struct ItemOutcome {
    int index = -1;
    bool ok = false;
    bool keep = true;
    QString reason;
    std::optional<Error> error;
    QString modelVersion;
    qint64 sentBytes = 0;
};

// The sending half of a Gemini run: media prepared (and videos uploaded) on a pool while earlier
// batches are being judged, batches filled in the order items become ready, a few requests in
// flight, the budget checked before each request, and every upload deleted afterwards whatever
// happened. Each finished batch is handed to `onBatch` on the calling thread, so the caller can
// store verdicts as they arrive.
class GeminiPipeline {
    Q_DECLARE_TR_FUNCTIONS(GeminiPipeline)
public:
    using EstimateFor = std::function<CostEstimate(const std::vector<int> &indices)>;

    GeminiPipeline(const gemini::GeminiConfig &config, const MediaPreparer &preparer, const TriageOptions &options,
                   const std::vector<TriageEntry> &entries, const ModelPrice &price, EstimateFor estimateFor,
                   CancellationToken token);
    ~GeminiPipeline();

    // Called from sending threads when a 429 makes a request wait (seconds; 0 when it is over).
    void setQuotaWaitObserver(std::function<void(int seconds)> observer);

    void run(const std::vector<int> &toSend, const std::function<void(const std::vector<ItemOutcome> &)> &onBatch);

    gemini::UsageTotals usage() const;
    // Why sending stopped early (key/model/quota, budget, cancel), if it did.
    std::optional<Error> stopReason() const;

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace mt
