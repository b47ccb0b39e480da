#pragma once

#include <QString>

namespace mt::gemini {

struct GeminiConfig;

// What a model id says about the model: its generation ("gemini-2.5-flash" is 2.5) and its tier
// (flash-lite, flash, pro). Ids change every few weeks (gemini-rest.md §11), so everything that
// depends on the model is decided from these two facts, never from a list of exact ids.
struct ModelFamily {
    enum class Tier { Unknown, FlashLite, Flash, Pro };
    int major = 0; // 0: no "gemini-N" prefix (a custom or future id)
    int minor = 0;
    Tier tier = Tier::Unknown;

    static ModelFamily of(const QString &modelId);
    static QString tierName(Tier tier);
};

// How thinking is bounded for a model, decided before the first request so no request is spent on
// a refusal: 2.x models refuse thinkingLevel (400 "Thinking level is not supported for this model")
// and take a token budget; 3.x and later take a level (gemini-rest.md §2.7, §8.2).
struct ThinkingPlan {
    enum class Kind { Level, Budget };
    Kind kind = Kind::Level;
    QString level;  // Kind::Level
    int budget = 0; // Kind::Budget, tokens
    // Tokens the answer's allowance must leave for thinking: the budget itself, or for a level
    // (which has no hard bound) the caller's allowance.
    int allowance(int levelAllowance) const { return kind == Kind::Budget ? budget : levelAllowance; }

    static ThinkingPlan forModel(const QString &modelId, const GeminiConfig &config);
};

} // namespace mt::gemini
