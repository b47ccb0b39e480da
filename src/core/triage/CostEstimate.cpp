#include "triage/CostEstimate.h"

#include "triage/ModelPrices.h"

#include <cmath>

namespace mt {

ModelPrice ModelPrice::forModel(const QString &model) { return ModelPrices::forModel(model); }

QString ModelPrice::sourceLabel() const
{
    switch (source) {
    case PriceSource::Table: return QStringLiteral("table ") + ModelPrices::tableDate();
    case PriceSource::Assumed: return QStringLiteral("assumed");
    case PriceSource::User: break;
    }
    return QStringLiteral("user");
}

nlohmann::ordered_json CostEstimate::toJson() const
{
    return nlohmann::ordered_json{{"model", model.toStdString()},
                                  {"input_tokens", inputTokens},
                                  {"output_tokens", outputTokens},
                                  {"usd", usd},
                                  {"input_per_million", price.inputPerMillion},
                                  {"output_per_million", price.outputPerMillion},
                                  {"price_source", price.sourceLabel().toStdString()}};
}

TokenRates TokenRates::forModel(const QString &model)
{
    TokenRates r;
    if (model.startsWith(QLatin1String("gemini-2"))) {
        r.imageTokens = 258;
        r.videoFrameTokens = 66;
    }
    return r;
}

double costOf(qint64 inputTokens, qint64 outputTokens, const ModelPrice &price)
{
    return (double(inputTokens) * price.inputPerMillion + double(outputTokens) * price.outputPerMillion) / 1e6;
}

CostEstimate estimateCost(const std::vector<EstimateInput> &items, int batchSize, const TokenRates &rates,
                          const ModelPrice &price)
{
    CostEstimate e;
    e.items = int(items.size());
    e.requests = items.empty() ? 0 : int((items.size() + size_t(batchSize) - 1) / size_t(batchSize));
    for (const EstimateInput &item : items) {
        e.inputTokens += rates.textTokensPerItem;
        if (item.kind == MediaKind::Photo) {
            e.inputTokens += rates.imageTokens;
        } else {
            const double seconds = std::max(1.0, std::ceil(item.durationSeconds));
            e.inputTokens += qint64(seconds * (rates.videoFrameTokens + rates.audioTokensPerSecond));
        }
        e.outputTokens += rates.outputTokensPerItem;
    }
    e.inputTokens += qint64(e.requests) * rates.instructionTokens;
    e.outputTokens += qint64(e.requests) * rates.thinkingTokensPerRequest;
    e.priceKnown = price.known;
    e.price = price;
    e.usd = costOf(e.inputTokens, e.outputTokens, price);
    return e;
}

} // namespace mt
