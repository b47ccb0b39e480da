#pragma once

#include "gemini/GeminiTypes.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QString>

#include <vector>

namespace mt {

// One item as it goes into a request: its metadata block is numbered per request (a re-ask of
// two items numbers them 1 and 2 again), its media part is prepared once.
struct PromptItem {
    const MediaItem *item = nullptr;
    const MediaMetadata *metadata = nullptr;
    gemini::Part media;
    QString hint; // an extra line for the metadata block (e.g. local quality measurements); empty for none
};

// The triage prompt: system instruction from resources/prompts/triage-system.txt (compiled in at
// configure time), one text part with a metadata block per item ("N. file name" first), then the
// media parts in the same order, and a response schema for an array of
// {media, filename, saveable, reason}.
class TriagePrompt {
public:
    struct Options {
        bool includeLocation = false;
        int thinkingAllowance = 2048; // tokens kept free for thinking before the answer
        int outputTokensPerItem = 120;
    };

    explicit TriagePrompt(Options options);
    TriagePrompt() : TriagePrompt(Options{}) {}

    static QString systemInstruction();
    static nlohmann::json responseSchema();
    // Changes whenever the instruction or the schema change, so cached verdicts of an older
    // prompt are not reused.
    static QString version();

    gemini::GenerateRequest request(const std::vector<const PromptItem *> &items) const;
    int maxOutputTokens(int itemCount) const;

private:
    Options m_options;
};

} // namespace mt
