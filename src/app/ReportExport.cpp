#include "ReportExport.h"

#include "MediaGridModel.h"

#include <QAction>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

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
        emit warning(tr("Export Report"), tr("Could not write %1.").arg(path));
}

bool ReportExport::exportReport(const QString &path)
{
    const bool json = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    QByteArray out;
    QJsonArray array;
    const auto csv = [](QString s) {
        s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + s + QLatin1Char('"');
    };
    if (!json)
        out += "file,path,kind,size_bytes,verdict,decided_by,reason\n";
    for (const GridEntry &entry : m_model->entries()) {
        const MediaItem &item = entry.item;
        const ItemVerdict *v = entry.verdict ? &*entry.verdict : nullptr;
        const QString verdict = !v ? QStringLiteral("none") : v->isError() ? QStringLiteral("error") : v->effectiveKeep() ? QStringLiteral("keep") : QStringLiteral("discard");
        const QString by = !v ? QString() : v->overrideKeep ? QStringLiteral("person") : sourceName(v->source);
        const QString reason = v ? v->reason : (item.error ? *item.error : QString());
        if (json) {
            array.append(QJsonObject{{QStringLiteral("file"), item.fileName}, {QStringLiteral("path"), item.path},
                                     {QStringLiteral("kind"), kindName(item.kind)}, {QStringLiteral("sizeBytes"), item.sizeBytes},
                                     {QStringLiteral("verdict"), verdict}, {QStringLiteral("decidedBy"), by},
                                     {QStringLiteral("reason"), reason}});
        } else {
            out += QStringList{csv(item.fileName), csv(item.path), kindName(item.kind), QString::number(item.sizeBytes),
                               verdict, by, csv(reason)}.join(QLatin1Char(',')).toUtf8() + '\n';
        }
    }
    if (json)
        out = QJsonDocument(array).toJson();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(out);
    return file.commit();
}

} // namespace mt::app
