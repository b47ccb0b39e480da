#pragma once

#include "triage/Verdict.h"

#include <QString>

namespace mt::quality {

// What the offline engine concluded about one item.
struct LocalVerdict {
    VerdictKind verdict = VerdictKind::Keep;
    QString reason;          // for the person, translated
    QString rule;            // stable tag for scripts: "ok", "black", "dark", "blown_out", "uniform", "blurry", ...
    double confidence = 0.5; // 0.5 = a coin flip, 1 = certain

    // Below this the verdict is worth a second opinion (Gemini when a key is set). Chosen so the
    // benchmark's borderline variants (slightly soft, −1.5 EV, low-key) fall below it while the
    // gross failures (black, +4 EV, strong defocus) stay above.
    static constexpr double kConfident = 0.75;
    bool confident() const { return confidence >= kConfident; }
};

} // namespace mt::quality
