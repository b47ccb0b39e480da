#include "TriageBackend.h"

#include "gemini/ApiKeyStore.h"
#include "triage/VerdictStore.h"

#include <QCoreApplication>

namespace mt::app {

namespace {

TriageRun failedRun(Error error)
{
    TriageRun run;
    run.stopped = std::move(error);
    return run;
}

class GeminiBackend final : public TriageBackend {
public:
    GeminiBackend(gemini::GeminiConfig config, QString storePath)
        : m_config(std::move(config)), m_storePath(std::move(storePath)) {}

    QString displayName() const override { return QStringLiteral("Gemini (%1)").arg(m_config.model); }
    bool usesNetwork() const override { return true; }

    TriageRun run(const std::vector<MediaItem> &items, const TriageOptions &options,
                  const CancellationToken &token) override
    {
        if (m_config.apiKey.isEmpty())
            m_config.apiKey = gemini::ApiKeyStore::lookup();
        if (m_config.apiKey.isEmpty())
            return failedRun(makeError(Error::Code::InvalidArgument,
                                       QCoreApplication::translate("TriageBackend", "No Gemini API key: add one in Preferences or set GEMINI_API_KEY.")));
        auto store = VerdictStore::open(m_storePath);
        if (!store) {
            TriageRun failed;
            failed.model = m_config.model;
            failed.stopped = store.error();
            return failed;
        }
        TriageEngine engine(m_config, store->get());
        return engine.run(items, options, token);
    }

private:
    gemini::GeminiConfig m_config;
    QString m_storePath;
};

} // namespace

std::unique_ptr<TriageBackend> makeGeminiBackend(gemini::GeminiConfig config, QString storePath)
{
    return std::make_unique<GeminiBackend>(std::move(config), std::move(storePath));
}

std::unique_ptr<TriageBackend> makeLocalBackend()
{
    // The offline engine (src/core/quality) is not part of mediatriage_core yet.
    return nullptr;
}

namespace {

// Decides on the worker thread, where looking at the keychain costs the GUI nothing.
class AutomaticBackend final : public TriageBackend {
public:
    AutomaticBackend(gemini::GeminiConfig config, QString storePath)
        : m_config(std::move(config)), m_storePath(std::move(storePath)) {}
    QString displayName() const override { return QCoreApplication::translate("TriageBackend", "automatic engine"); }
    bool usesNetwork() const override { return true; }
    TriageRun run(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token) override
    {
        if (m_config.apiKey.isEmpty())
            m_config.apiKey = gemini::ApiKeyStore::lookup();
        if (m_config.apiKey.isEmpty()) {
            if (auto local = makeLocalBackend())
                return local->run(items, options, token);
        }
        return GeminiBackend(m_config, m_storePath).run(items, options, token);
    }

private:
    gemini::GeminiConfig m_config;
    QString m_storePath;
};

class UnavailableBackend final : public TriageBackend {
public:
    QString displayName() const override { return QCoreApplication::translate("TriageBackend", "local engine"); }
    bool usesNetwork() const override { return false; }
    TriageRun run(const std::vector<MediaItem> &, const TriageOptions &, const CancellationToken &) override
    {
        return failedRun(makeError(Error::Code::UnsupportedFormat,
                                   QCoreApplication::translate("TriageBackend", "The offline engine is not available in this build.")));
    }
};

} // namespace

std::unique_ptr<TriageBackend> makeBackend(EngineChoice choice, gemini::GeminiConfig config, QString storePath)
{
    switch (choice) {
    case EngineChoice::Gemini:
        return makeGeminiBackend(std::move(config), std::move(storePath));
    case EngineChoice::Local:
        if (auto local = makeLocalBackend())
            return local;
        return std::make_unique<UnavailableBackend>();
    case EngineChoice::Automatic:
        break;
    }
    return std::make_unique<AutomaticBackend>(std::move(config), std::move(storePath));
}

} // namespace mt::app
