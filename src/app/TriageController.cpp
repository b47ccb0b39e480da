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

void TriageController::start(SessionOptions options, std::vector<MediaItem> items)
{
    if (m_running)
        return;
    m_running = true;
    m_token = CancellationToken();
    const CancellationToken token = m_token;
    emit started(TriageSession::displayName(options), int(items.size()));

    const ModelPrice price = options.triage.price.value_or(ModelPrice{});
    // Progress comes on worker threads; hop to ours. Every update is small, so queueing each is fine.
    options.triage.progress = [this, price](const TriageProgress &p) {
        const double usd = costOf(p.promptTokens, p.outputTokens, price);
        QMetaObject::invokeMethod(this, [this, p, usd] { emit progressChanged(p, usd); }, Qt::QueuedConnection);
    };
    // The worker waits for the person's answer; the GUI thread stays free to show the question.
    options.triage.confirmEstimate = [this](const CostEstimate &estimate) {
        bool ok = true;
        QMetaObject::invokeMethod(this, [this, &ok, estimate] { ok = !m_question || m_question(estimate); },
                                  Qt::BlockingQueuedConnection);
        return ok;
    };
    m_pool.start([this, options = std::move(options), items = std::move(items), token] {
        TriageRun run = TriageSession(options).run(items, token);
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
