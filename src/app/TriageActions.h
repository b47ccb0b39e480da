#pragma once

#include "triage/TriageSession.h"

#include <QHash>
#include <QObject>

class QAction;
class QProgressBar;
class QToolButton;
class QWidget;

namespace mt::app {

class MediaGridModel;
class TriageController;

// Running a triage from the window: the Triage / Cancel actions, the cost question, the progress
// bar and cancel button for the status bar, and the verdicts of a finished run into the model.
// The run itself is the TriageController's.
class TriageActions : public QObject
{
    Q_OBJECT

public:
    TriageActions(MediaGridModel *model, QWidget *window);

    QAction *triageAction() const { return m_triageAction; }
    QAction *cancelAction() const { return m_cancelAction; }
    QList<QAction *> actions() const { return {m_triageAction, m_cancelAction}; }
    QProgressBar *progressBar() const { return m_progress; }
    QToolButton *cancelButton() const { return m_cancelButton; }
    TriageController *controller() const { return m_triage; }

    void startTriage();
    void updateEnabled();

signals:
    void progressText(const QString &text);
    // The run's verdicts are in the model; `hashByPath` lets earlier decisions be looked up.
    void verdictsApplied(const QHash<QString, QString> &hashByPath);
    void message(const QString &text, int timeoutMs);
    void warning(const QString &title, const QString &text);
    void finished();
    // Which engine and model judged the run that just finished.
    void judgedBy(const QString &engine, const QString &model);

private:
    void onStarted(const QString &engine, int total);
    void onProgress(const TriageProgress &progress, double usd);
    void onFinished(const TriageRun &run);
    // The note a group member's reason gets: which file its group suggests keeping.
    static QString groupNote(const ItemGroup &group);
    bool askCost(const CostEstimate &estimate);

    MediaGridModel *m_model;
    QWidget *m_window;
    TriageController *m_triage;
    QAction *m_triageAction;
    QAction *m_cancelAction;
    QProgressBar *m_progress;
    QToolButton *m_cancelButton;
    QString m_engineName;
};

} // namespace mt::app
