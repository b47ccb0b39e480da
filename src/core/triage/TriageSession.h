#pragma once

#include "common/Cancellation.h"
#include "gemini/GeminiConfig.h"
#include "media/MediaItem.h"
#include "triage/MediaPreparer.h"
#include "triage/TriageRun.h"

#include <QCoreApplication>

#include <functional>
#include <optional>
#include <vector>

namespace mt {

enum class EngineChoice {
    Automatic, // Gemini when a key is set, else the offline analysis
    Gemini,
    Local,
};
std::optional<EngineChoice> engineChoiceFromName(const QString &name); // "auto", "gemini", "local"

// Everything a front decides about a triage; the session does the rest.
struct SessionOptions {
    EngineChoice engine = EngineChoice::Automatic;
    // With Gemini: the offline engine judges first and only what it is unsure about goes to
    // Gemini, with its measurements as hints.
    bool localFirst = false;
    gemini::GeminiConfig gemini; // endpoint, model, and the key when the front already has it
    // Asked on the run's thread when gemini.apiKey is empty (the desktop keychain may take a moment).
    std::function<QString()> apiKeyLookup;
    QString storePath;                    // the verdict store; empty: VerdictStore::defaultPath()
    std::optional<MediaPreparer> preparer; // default MediaPreparer::makeDefault(); the Lambda reuses prepared videos
    bool checkModel = true;               // the free key and model check before anything is sent
    TriageOptions triage;
};

// One triage end to end, the same for the app, the CLI and the Lambda: engine choice, pre-filters,
// stored verdicts, preparation, judging, grouping, storing, progress, cancel, estimate and budget.
// Synchronous: call run() from a worker thread.
class TriageSession {
    Q_DECLARE_TR_FUNCTIONS(TriageSession)
public:
    explicit TriageSession(SessionOptions options) : m_options(std::move(options)) {}

    TriageRun run(const std::vector<MediaItem> &items, const CancellationToken &token = {});

    // For a status line before the run knows whether a key is there.
    static QString displayName(const SessionOptions &options);

private:
    TriageRun runGemini(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token);
    TriageRun runLocalFirst(const std::vector<MediaItem> &items, const CancellationToken &token);
    static TriageRun setupFailure(const std::vector<MediaItem> &items, const QString &engine, Error error);

    SessionOptions m_options;
};

} // namespace mt
