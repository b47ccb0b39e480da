#include "ReportExport.h"

#include "MediaGridModel.h"

#include "triage/TriageReport.h"

#include <QAction>
#include <QFileDialog>

namespace mt::app {

ReportExport::ReportExport(MediaGridModel *model, QWidget *window)
    : QObject(window), m_model(model), m_window(window), m_action(new QAction(tr("&Export Report…"), this))
{
    m_action->setObjectName(QStringLiteral("exportReport"));
    connect(m_action, &QAction::triggered, this, &ReportExport::chooseAndExport);
}

void ReportExport::updateEnabled()
{
    m_action->setEnabled(m_model->rowCount() > 0);
}

void ReportExport::chooseAndExport()
{
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Report"), m_folder + QStringLiteral("/triage-report.csv"),
                                                      tr("CSV (*.csv);;JSON (*.json)"));
    if (!path.isEmpty() && !exportReport(path))
        emit warning(tr("Export Report"), m_lastError);
}

// The same document as the CLI's --report and the Lambda's results.json, with the person's
// decisions on top. Items never judged (added after the last run) are left out.
bool ReportExport::exportReport(const QString &path)
{
    std::vector<ReportItem> items;
    ReportHeader header;
    for (const GridEntry &entry : m_model->entries()) {
        if (!entry.verdict || entry.verdict->result.path.isEmpty())
            continue;
        ReportItem item;
        item.result = entry.verdict->result;
        item.kind = entry.item.kind;
        item.sizeBytes = entry.item.sizeBytes;
        item.personKeep = entry.verdict->overrideKeep;
        items.push_back(std::move(item));
    }
    header.engine = m_lastEngine;
    header.model = m_lastModel;
    const Status saved = TriageReport(header, std::move(items)).save(path);
    if (!saved)
        m_lastError = saved.error().message;
    return saved.ok();
}

} // namespace mt::app
