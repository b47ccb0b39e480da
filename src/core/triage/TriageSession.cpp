#include "triage/TriageSession.h"

#include "gemini/GeminiClient.h"
#include "quality/LocalFirstTriage.h"
#include "triage/LocalTriage.h"
#include "triage/Prefilter.h"
#include "triage/TriageEngine.h"
#include "triage/VerdictStore.h"

namespace mt {

std::optional<EngineChoice> engineChoiceFromName(const QString &name)
{
    if (name.isEmpty() || name == QLatin1String("auto") || name == QLatin1String("automatic"))
        return EngineChoice::Automatic;
    if (name == QLatin1String("gemini"))
        return EngineChoice::Gemini;
    if (name == QLatin1String("local"))
        return EngineChoice::Local;
    return std::nullopt;
}

QString TriageSession::displayName(const SessionOptions &options)
{
    switch (options.engine) {
    case EngineChoice::Local:
        return tr("offline analysis");
    case EngineChoice::Gemini:
        return options.localFirst ? tr("offline analysis, then Gemini (%1)").arg(options.gemini.model)
                                  : tr("Gemini (%1)").arg(options.gemini.model);
    case EngineChoice::Automatic:
        break;
    }
    return tr("automatic engine");
}

TriageRun TriageSession::setupFailure(const std::vector<MediaItem> &items, const QString &engine, Error error)
{
    TriageRun run;
    run.engine = engine;
    run.setupFailed = true;
    for (const MediaItem &item : items)
        run.items.push_back(errorResult(item.path, VerdictSource::Prefilter,
                                        makeError(error.code, tr("not judged: %1").arg(error.message))));
    run.stopped = std::move(error);
    return run;
}

TriageRun TriageSession::run(const std::vector<MediaItem> &items, const CancellationToken &token)
{
    if (m_options.engine == EngineChoice::Local)
        return LocalTriage::run(items, m_options.triage, token);
    if (m_options.gemini.apiKey.isEmpty() && m_options.apiKeyLookup)
        m_options.gemini.apiKey = m_options.apiKeyLookup();
    if (m_options.gemini.apiKey.isEmpty()) {
        if (m_options.engine == EngineChoice::Automatic)
            return LocalTriage::run(items, m_options.triage, token);
        return setupFailure(items, QStringLiteral("gemini"),
                            makeError(Error::Code::InvalidArgument,
                                      tr("No Gemini API key: set GEMINI_API_KEY or save a key in the app's settings.")));
    }
    if (m_options.localFirst)
        return runLocalFirst(items, token);
    return runGemini(items, m_options.triage, token);
}

TriageRun TriageSession::runLocalFirst(const std::vector<MediaItem> &items, const CancellationToken &token)
{
    const auto plan = quality::LocalFirstTriage::plan(items, LocalTriage::analyzeOptions(m_options.triage), token);
    TriageOptions withHints = m_options.triage;
    withHints.hint = plan.hints();
    return plan.merge(runGemini(plan.forGemini(), withHints, token));
}

TriageRun TriageSession::runGemini(const std::vector<MediaItem> &items, const TriageOptions &options,
                                   const CancellationToken &token)
{
    const QString storePath = m_options.storePath.isEmpty() ? VerdictStore::defaultPath() : m_options.storePath;
    auto store = VerdictStore::open(storePath);
    if (!store) {
        // Without the store every verdict would be paid for and then forgotten: spend nothing.
        TriageRun run = setupFailure(items, QStringLiteral("gemini"), store.error());
        run.model = m_options.gemini.model;
        return run;
    }
    TriageEngine engine(m_options.gemini, store->get(), m_options.preparer.value_or(MediaPreparer::makeDefault()));
    if (m_options.checkModel) {
        engine.beforeSending = [this, &token]() -> Status {
            gemini::GeminiClient client(m_options.gemini);
            auto model = client.checkModel(m_options.gemini.model, token);
            if (!model)
                return model.error();
            return Done{};
        };
    }
    TriageRun run = engine.run(items, options, token);
    // Local-first runs take their groups from the offline analysis (LocalFirstTriage::merge).
    if (!m_options.localFirst)
        Prefilter::groupWithoutPixels(run.items, items, token);
    if (const auto notice = (*store)->recoveryNotice())
        run.notices.prepend(*notice);
    return run;
}

} // namespace mt
