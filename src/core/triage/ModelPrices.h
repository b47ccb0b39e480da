#pragma once

#include "triage/CostEstimate.h"

#include <QString>

#include <vector>

namespace mt {

// Gemini list prices per exact model id, and the rule for ids not in the table. Prices differ
// several-fold between generations of the same tier (2.5 Flash-Lite $0.10/$0.40, 3.1 Flash-Lite
// $0.25/$1.50 per million), so a tier is never priced by its name alone: an unknown id is priced
// at the highest known price of its tier and marked "assumed", so an estimate or a budget errs on
// the safe side. The person can always set their own prices (CLI --price, app Preferences).
class ModelPrices {
public:
    struct Row {
        const char *model;
        double inputPerMillion;
        double outputPerMillion;
    };

    // The day the table was last checked against its source.
    static QString tableDate();
    static const std::vector<Row> &table();
    // Exact id (a "models/" prefix is ignored): the table's price; otherwise the highest price of
    // the id's tier (flash-lite, flash, pro; every row for an unknown tier), marked assumed.
    static ModelPrice forModel(const QString &model);
};

} // namespace mt
