#include "TriageBackend.h"

#include "keychain/ApiKeyStore.h"
#include "quality/LocalFirstTriage.h"
#include "quality/QualityAnalyzer.h"
#include "triage/ContentHash.h"
#include "triage/VerdictStore.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace mt::app {

namespace {

EngineRun failedRun(Error error)
{
    EngineRun run;
    run.run.stopped = std::move(error);
    return run;
}

class GeminiBackend final : public TriageBackend {
public:
    GeminiBackend(gemini::GeminiConfig config, QString storePath, bool uncertainOnly)
        : m_config(std::move(config)), m_storePath(std::move(storePath)), m_uncertainOnly(uncertainOnly) {}

    QString displayName() const override { return QStringLiteral("Gemini (%1)").arg(m_config.model); }
    bool usesNetwork() const override { return true; }

    EngineRun run(const std::vector<MediaItem> &items, const TriageOptions &options,
                  const CancellationToken &token) override
    {
        if (m_config.apiKey.isEmpty())
            m_config.apiKey = gemini::ApiKeyStore::lookup();
        if (m_config.apiKey.isEmpty())
            return failedRun(makeError(Error::Code::InvalidArgument,
                                       QCoreApplication::translate("TriageBackend", "No Gemini API key: add one in Preferences or set GEMINI_API_KEY.")));
        auto store = VerdictStore::open(m_storePath);
        if (!store)
            return failedRun(store.error());
        TriageEngine engine(m_config, store->get());
        if (m_uncertainOnly) {
            const auto plan = quality::LocalFirstTriage::plan(items, {}, token);
            TriageOptions withHints = options;
            withHints.hint = plan.hints();
            return EngineRun{plan.merge(engine.run(plan.forGemini(), withHints, token)), {}};
        }
        return EngineRun{engine.run(items, options, token), {}};
    }

private:
    gemini::GeminiConfig m_config;
    QString m_storePath;
    bool m_uncertainOnly = false;
};

} // namespace

std::unique_ptr<TriageBackend> makeGeminiBackend(gemini::GeminiConfig config, QString storePath, bool uncertainOnly)
{
    return std::make_unique<GeminiBackend>(std::move(config), std::move(storePath), uncertainOnly);
}

namespace {

// The offline engine (core QualityAnalyzer: signals, judge, Live Photo pairing, near-duplicate
// groups). It has no progress callback, so progress shows the analysis as one step and then the
// content hashes the trash check needs, file by file.
class LocalBackend final : public TriageBackend {
public:
    QString displayName() const override { return QCoreApplication::translate("TriageBackend", "offline analysis"); }
    bool usesNetwork() const override { return false; }

    EngineRun run(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token) override
    {
        const int n = int(items.size());
        TriageProgress progress{TriageProgress::Stage::Reading, 0, n, 0, 0};
        if (options.progress)
            options.progress(progress);
        quality::AnalyzeOptions analyzeOptions;
        analyzeOptions.liveClipMaxSeconds = options.liveClipMaxSeconds;
        analyzeOptions.thresholds.minClipSeconds = options.minClipSeconds;
        const std::vector<quality::ItemAnalysis> analyses = quality::QualityAnalyzer::analyze(items, analyzeOptions, token);

        EngineRun out;
        out.run.model = QStringLiteral("local");
        progress.stage = TriageProgress::Stage::Judging;
        for (const quality::ItemAnalysis &a : analyses) {
            if (token.isCancelled()) {
                out.run.stopped = makeError(Error::Code::Cancelled, QCoreApplication::translate("TriageBackend", "cancelled"));
                break;
            }
            // The trash refuses files that changed after their verdict: remember what was judged.
            const auto hash = contentHash(a.item.path);
            TriageItemResult r = quality::toTriageResult(a, hash ? *hash : QString());
            if (!r.reason.isEmpty() && !a.similarTo.isEmpty())
                r.reason += QLatin1Char(' ') + QCoreApplication::translate("TriageBackend", "(similar to %1)")
                                                   .arg(QFileInfo(a.similarTo).fileName());
            out.run.items.push_back(r);
            if (a.duplicateGroup >= 0)
                out.similar.insert(a.item.path, EngineRun::Similar{a.duplicateGroup, a.bestInGroup});
            ++progress.done;
            if (options.progress && (progress.done % 16 == 0 || progress.done == n))
                options.progress(progress);
        }
        progress.stage = TriageProgress::Stage::Done;
        if (options.progress)
            options.progress(progress);
        return out;
    }
};

} // namespace

std::unique_ptr<TriageBackend> makeLocalBackend()
{
    return std::make_unique<LocalBackend>();
}

namespace {

// Decides on the worker thread, where looking at the keychain costs the GUI nothing.
class AutomaticBackend final : public TriageBackend {
public:
    AutomaticBackend(gemini::GeminiConfig config, QString storePath, bool uncertainOnly)
        : m_config(std::move(config)), m_storePath(std::move(storePath)), m_uncertainOnly(uncertainOnly) {}
    QString displayName() const override { return QCoreApplication::translate("TriageBackend", "automatic engine"); }
    bool usesNetwork() const override { return true; }
    EngineRun run(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token) override
    {
        if (m_config.apiKey.isEmpty())
            m_config.apiKey = gemini::ApiKeyStore::lookup();
        if (m_config.apiKey.isEmpty()) {
            if (auto local = makeLocalBackend())
                return local->run(items, options, token);
        }
        return GeminiBackend(m_config, m_storePath, m_uncertainOnly).run(items, options, token);
    }

private:
    gemini::GeminiConfig m_config;
    QString m_storePath;
    bool m_uncertainOnly = false;
};

class UnavailableBackend final : public TriageBackend {
public:
    QString displayName() const override { return QCoreApplication::translate("TriageBackend", "local engine"); }
    bool usesNetwork() const override { return false; }
    EngineRun run(const std::vector<MediaItem> &, const TriageOptions &, const CancellationToken &) override
    {
        return failedRun(makeError(Error::Code::UnsupportedFormat,
                                   QCoreApplication::translate("TriageBackend", "The offline engine is not available in this build.")));
    }
};

} // namespace

std::unique_ptr<TriageBackend> makeBackend(EngineChoice choice, gemini::GeminiConfig config, QString storePath,
                                           bool uncertainOnly)
{
    switch (choice) {
    case EngineChoice::Gemini:
        return makeGeminiBackend(std::move(config), std::move(storePath), uncertainOnly);
    case EngineChoice::Local:
        if (auto local = makeLocalBackend())
            return local;
        return std::make_unique<UnavailableBackend>();
    case EngineChoice::Automatic:
        break;
    }
    return std::make_unique<AutomaticBackend>(std::move(config), std::move(storePath), uncertainOnly);
}

} // namespace mt::app
