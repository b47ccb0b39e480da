#pragma once

#include <QObject>

class QAction;
class QWidget;

namespace mt::app {

class MediaGridModel;

// "Export Report…": every item of the folder with its verdict, who decided and why, as CSV or
// JSON (by the file's extension). One entry point, exportReport(), writes the file.
class ReportExport : public QObject
{
    Q_OBJECT

public:
    ReportExport(MediaGridModel *model, QWidget *window);

    QAction *action() const { return m_action; }
    // Where the save dialog starts.
    void setFolder(const QString &folder) { m_folder = folder; }
    bool exportReport(const QString &path);
    void updateEnabled();
    // Which engine and model judged the folder last, for the report's header.
    void setLastRun(const QString &engine, const QString &model) { m_lastEngine = engine; m_lastModel = model; }

signals:
    void warning(const QString &title, const QString &text);

private:
    void chooseAndExport();

    MediaGridModel *m_model;
    QWidget *m_window;
    QAction *m_action;
    QString m_folder;
    QString m_lastEngine;
    QString m_lastModel;
    QString m_lastError;
};

} // namespace mt::app
