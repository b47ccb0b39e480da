#pragma once

#include "common/Cancellation.h"
#include "gemini/GeminiConfig.h"
#include "media/MediaItem.h"
#include "triage/TriageEngine.h"

#include <QHash>
#include <QString>

#include <memory>
#include <vector>

namespace mt::app {

// A run as the app sees it: the core's per-item results plus what only some engines know
// (bursts of similar photos and the suggested best of each).
struct EngineRun {
    TriageRun run;
    struct Similar {
        int group = -1;
        bool best = false;
    };
    QHash<QString, Similar> similar; // by path; absent when not part of a group
};

// The one engine interface the app talks to. Gemini and the offline analysis both sit behind it;
// `run` is synchronous and called on a worker thread, so implementations open anything
// thread-bound (the SQLite verdict store) inside it.
class TriageBackend {
public:
    virtual ~TriageBackend() = default;
    virtual QString displayName() const = 0;
    virtual bool usesNetwork() const = 0;
    virtual EngineRun run(const std::vector<MediaItem> &items, const TriageOptions &options,
                          const CancellationToken &token) = 0;
};

enum class EngineChoice { Automatic, Gemini, Local };

// Gemini through the core TriageEngine, with verdicts cached in the store at `storePath`. An empty
// key in `config` is looked up (environment, then keychain) on the worker thread, because the
// keychain may take a moment to answer.
// With `uncertainOnly`, the offline engine judges first and only the items it is unsure about go to
// Gemini (with its measurements as hints); the rest keep their local verdicts.
std::unique_ptr<TriageBackend> makeGeminiBackend(gemini::GeminiConfig config, QString storePath, bool uncertainOnly = false);

// Automatic: Gemini when a key is set, else the local engine (and an error run when neither).
std::unique_ptr<TriageBackend> makeBackend(EngineChoice choice, gemini::GeminiConfig config, QString storePath,
                                           bool uncertainOnly = false);

// The offline quality analysis, when the core provides it; null otherwise.
std::unique_ptr<TriageBackend> makeLocalBackend();

} // namespace mt::app
