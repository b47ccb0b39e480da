#include "TriageController.h"

#include <QMetaObject>

namespace mt::app {

TriageController::TriageController(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

TriageController::~TriageController()
{
    m_token.cancel();
    m_pool.waitForDone();
}

void TriageController::start(std::unique_ptr<TriageBackend> backend, std::vector<MediaItem> items, TriageOptions options)
{
    if (m_running || !backend)
        return;
    m_running = true;
    m_token = CancellationToken();
    const CancellationToken token = m_token;
    const int total = int(items.size());
    emit started(backend->displayName(), total);

    const ModelPrice price = options.price.value_or(ModelPrice{});
    // Progress comes on the worker thread; hop to ours. Every update is small, so queueing each is fine.
    options.progress = [this, price](const TriageProgress &p) {
        const double usd = costOf(p.promptTokens, p.outputTokens, price);
        QMetaObject::invokeMethod(this, [this, p, usd] { emit progressChanged(p, usd); }, Qt::QueuedConnection);
    };
    // The worker waits for the person's answer; the GUI thread stays free to show the question.
    options.confirmEstimate = [this](const CostEstimate &estimate) {
        bool ok = true;
        QMetaObject::invokeMethod(this, [this, &ok, estimate] { ok = !m_question || m_question(estimate); },
                                  Qt::BlockingQueuedConnection);
        return ok;
    };
    std::shared_ptr<TriageBackend> shared(std::move(backend));
    m_pool.start([this, shared, items = std::move(items), options, token] {
        EngineRun run = shared->run(items, options, token);
        QMetaObject::invokeMethod(this, [this, run = std::move(run)] {
            m_running = false;
            emit finished(run);
        }, Qt::QueuedConnection);
    });
}

void TriageController::cancel()
{
    m_token.cancel();
}

} // namespace mt::app
