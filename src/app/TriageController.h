#pragma once

#include "triage/TriageSession.h"

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace mt::app {

// Runs one triage session at a time on a worker thread and reports back on the GUI thread:
// progress (stage, n/N, tokens, cost so far), the cost question before Gemini spends anything,
// and the finished run. Cancel stops the session between steps; finished work is already stored.
class TriageController : public QObject
{
    Q_OBJECT

public:
    explicit TriageController(QObject *parent = nullptr);
    ~TriageController() override;

    // Asked on the GUI thread while the worker waits; true lets the run spend. Default: a dialog
    // is shown by whoever connects; tests install an answer.
    using EstimateQuestion = std::function<bool(const CostEstimate &)>;
    void setEstimateQuestion(EstimateQuestion question) { m_question = std::move(question); }

    bool isRunning() const { return m_running; }
    void start(SessionOptions options, std::vector<MediaItem> items);
    void cancel();

signals:
    void started(const QString &engineName, int total);
    void progressChanged(const mt::TriageProgress &progress, double usdSoFar);
    void finished(const mt::TriageRun &run);

private:
    QThreadPool m_pool;
    CancellationToken m_token;
    EstimateQuestion m_question;
    bool m_running = false;
};

} // namespace mt::app
