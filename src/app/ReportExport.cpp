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
// decisions on top. Items with no verdict at all (never judged, never decided) are left out.
bool ReportExport::exportReport(const QString &path)
{
    std::vector<ReportItem> items;
    ReportHeader header;
    for (const GridEntry &entry : m_model->entries()) {
        if (!entry.verdict)
            continue;
        const ItemVerdict &v = *entry.verdict;
        ReportItem item;
        // The engine's whole outcome when a run judged the item; a decision made only by the
        // person has just what the grid shows.
        if (!v.result.path.isEmpty()) {
            item.result = v.result;
        } else {
            item.result.verdict = v.kind;
            item.result.reason = v.reason;
            item.result.source = v.source;
        }
        item.result.path = entry.item.path;
        item.result.contentHash = v.contentHash; // may have been learnt after the run (override store)
        item.kind = entry.item.kind;
        item.sizeBytes = entry.item.sizeBytes;
        item.personKeep = v.overrideKeep;
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
