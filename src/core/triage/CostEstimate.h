#pragma once

#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QString>

#include <vector>

namespace mt {

// List prices in USD per million tokens. Defaults are assumptions (the published prices of the
// Flash-Lite / Flash / Pro tiers at the time of writing) and can be overridden per run.
struct ModelPrice {
    double inputPerMillion = 0;
    double outputPerMillion = 0;
    bool known = false;
    static ModelPrice forModel(const QString &model);
};

// Documented token rates at MEDIA_RESOLUTION_LOW (docs/gemini-rest.md 5.2): Gemini 3 counts 280
// per image and 70 per sampled video frame (1 frame/s), 2.x counts 258 and 66; audio 32 tokens/s.
struct TokenRates {
    int imageTokens = 280;
    int videoFrameTokens = 70;
    int audioTokensPerSecond = 32;
    int textTokensPerItem = 80;      // the metadata block
    int instructionTokens = 500;     // system instruction + request framing, per request
    int outputTokensPerItem = 45;    // one verdict object
    int thinkingTokensPerRequest = 800;
    static TokenRates forModel(const QString &model);
};

struct CostEstimate {
    int items = 0;
    int requests = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    double usd = 0;
    bool priceKnown = false;
};

struct EstimateInput {
    MediaKind kind = MediaKind::Photo;
    double durationSeconds = 0;
};

CostEstimate estimateCost(const std::vector<EstimateInput> &items, int batchSize, const TokenRates &rates,
                          const ModelPrice &price);
double costOf(qint64 inputTokens, qint64 outputTokens, const ModelPrice &price);

} // namespace mt
