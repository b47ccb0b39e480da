#pragma once

#include "triage/TriageSession.h"

#include <QString>

namespace mt::app {

// The app's persistent choices in one place (QSettings), so the dialog, the main window and the
// tests agree on keys and defaults. Never holds the API key.
struct AppSettings {
    EngineChoice engine = EngineChoice::Automatic;
    QString model;
    bool recursive = false;
    int thumbnailEdge = 160;
    bool uncertainOnly = false;
    bool includeLocation = false;
    double budgetUsd = 0; // 0: no cap
    // The person's Gemini prices, USD per million tokens; both 0: the built-in table (ModelPrices).
    double inputPricePerMillion = 0;
    double outputPricePerMillion = 0;
    std::optional<ModelPrice> userPrice() const
    {
        if (inputPricePerMillion <= 0 && outputPricePerMillion <= 0)
            return std::nullopt;
        return ModelPrice::user(inputPricePerMillion, outputPricePerMillion);
    }

    static AppSettings load();
    void save() const;
};

} // namespace mt::app
