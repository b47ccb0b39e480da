#include "triage/ModelPrices.h"

#include "gemini/ModelFamily.h"

#include <algorithm>

namespace mt {

using gemini::ModelFamily;

// Paid tier, standard (not batch) processing, prompts up to 200k tokens, USD per million tokens;
// text/image/video input (audio input is billed higher on some models: a video's sound track makes
// the real cost somewhat higher than the estimate). Source: Google's Gemini API pricing page,
// https://ai.google.dev/gemini-api/docs/pricing, as of the table date below (figures cross-checked
// with the model catalogues quoting it, e.g. modelpedia.dev "gemini-3.1" family comparison,
// last updated 2026-03-22). Ids released later (gemini-3.5-*, 3.6, 3.7, 3.8) had no published
// price that could be confirmed: they are priced by the "assumed" rule.
static const char kTableDate[] = "2026-03-22";

QString ModelPrices::tableDate() { return QString::fromLatin1(kTableDate); }

const std::vector<ModelPrices::Row> &ModelPrices::table()
{
    static const std::vector<Row> rows{
        {"gemini-2.5-flash-lite", 0.10, 0.40},
        {"gemini-2.5-flash", 0.30, 2.50},
        {"gemini-2.5-pro", 1.25, 10.00},
        {"gemini-3-flash-preview", 0.50, 3.00},
        {"gemini-3.1-flash-lite", 0.25, 1.50},
        {"gemini-3.1-flash-lite-preview", 0.25, 1.50},
        {"gemini-3.1-pro-preview", 2.00, 12.00},
    };
    return rows;
}

ModelPrice ModelPrices::forModel(const QString &model)
{
    const QString id = model.trimmed().toLower().section(u'/', -1);
    for (const Row &row : table())
        if (id == QLatin1String(row.model))
            return ModelPrice{row.inputPerMillion, row.outputPerMillion, true, PriceSource::Table};
    const ModelFamily::Tier tier = ModelFamily::of(id).tier;
    ModelPrice assumed{0, 0, true, PriceSource::Assumed};
    for (const Row &row : table()) {
        if (tier != ModelFamily::Tier::Unknown && ModelFamily::of(QLatin1String(row.model)).tier != tier)
            continue;
        assumed.inputPerMillion = std::max(assumed.inputPerMillion, row.inputPerMillion);
        assumed.outputPerMillion = std::max(assumed.outputPerMillion, row.outputPerMillion);
    }
    return assumed;
}

} // namespace mt
