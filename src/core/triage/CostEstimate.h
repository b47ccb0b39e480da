#pragma once

#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace mt {

// Where a price came from: the dated table (ModelPrices), the "assumed" rule for an id not in it,
// or the person.
enum class PriceSource { Table, Assumed, User };

// List prices in USD per million tokens.
struct ModelPrice {
    double inputPerMillion = 0;
    double outputPerMillion = 0;
    bool known = false;
    PriceSource source = PriceSource::User;
    static ModelPrice forModel(const QString &model); // ModelPrices::forModel
    static ModelPrice user(double inputPerMillion, double outputPerMillion)
    {
        return ModelPrice{inputPerMillion, outputPerMillion, true, PriceSource::User};
    }
    // "table YYYY-MM-DD", "assumed" or "user", as result documents carry it.
    QString sourceLabel() const;
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
    QString model;
    ModelPrice price;

    // {model, input_tokens, output_tokens, usd, input_per_million, output_per_million, price_source}
    nlohmann::ordered_json toJson() const;
};

struct EstimateInput {
    MediaKind kind = MediaKind::Photo;
    double durationSeconds = 0;
};

CostEstimate estimateCost(const std::vector<EstimateInput> &items, int batchSize, const TokenRates &rates,
                          const ModelPrice &price);
double costOf(qint64 inputTokens, qint64 outputTokens, const ModelPrice &price);

} // namespace mt
