#include "MetadataPane.h"

#include "MediaGridModel.h"
#include "metadata/MetadataFormatter.h"

#include <QFileInfo>
#include <QLocale>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace mt::app {

namespace {
QString esc(const QString &s) { return s.toHtmlEscaped(); }

QString groupDescription(const ItemGroup &group)
{
    QString kind;
    switch (group.kind) {
    case GroupKind::Exact: kind = MetadataPane::tr("exact copies"); break;
    case GroupKind::Edited: kind = MetadataPane::tr("an edit and its original"); break;
    case GroupKind::Burst: kind = MetadataPane::tr("burst"); break;
    case GroupKind::Similar: kind = MetadataPane::tr("similar shots"); break;
    }
    return group.best ? MetadataPane::tr("%1 %2: the suggested keeper").arg(kind).arg(group.id + 1)
                      : MetadataPane::tr("%1 %2: keeper %3").arg(kind).arg(group.id + 1).arg(QFileInfo(group.keeperPath).fileName());
}

QString groupHtml(const QString &title, const QList<MetadataRow> &rows)
{
    QString html = QStringLiteral("<h4 style='margin-top:10px;margin-bottom:2px'>%1</h4><table cellspacing='0' cellpadding='2' width='100%'>")
                       .arg(esc(title));
    for (const MetadataRow &row : rows) {
        // The formatter's link rows carry their own wording ("Open in map"): link that text.
        const QString value = row.link.isEmpty() ? esc(row.value)
                                                 : QStringLiteral("<a href='%1'>%2</a>").arg(esc(row.link), esc(row.value));
        html += QStringLiteral("<tr><td valign='top' width='38%' style='color:palette(placeholder-text);padding-right:8px'>%1</td><td valign='top'>%2</td></tr>")
                    .arg(esc(row.label), value);
    }
    return html + QStringLiteral("</table>");
}
} // namespace

MetadataPane::MetadataPane(QWidget *parent) : QWidget(parent), m_browser(new QTextBrowser(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);
    m_browser->setOpenExternalLinks(true);
    m_browser->setFrameShape(QFrame::NoFrame);
    m_browser->setAccessibleName(tr("Metadata"));
    m_browser->setTextInteractionFlags(Qt::TextBrowserInteraction | Qt::TextSelectableByKeyboard);
    setMinimumWidth(220);
    showNothing();
}

void MetadataPane::showNothing()
{
    m_browser->setHtml(QStringLiteral("<p style='color:gray'>%1</p>").arg(esc(tr("Select a photo or video to see its details."))));
}

void MetadataPane::showLoading(const MediaItem &item)
{
    m_browser->setHtml(QStringLiteral("<h3>%1</h3><p style='color:gray'>%2</p>").arg(esc(item.fileName), esc(tr("Reading metadata…"))));
}

void MetadataPane::showItem(const MediaItem &item, const Result<MediaMetadata> &metadata, const ItemVerdict *verdict)
{
    QString html = QStringLiteral("<h3 style='margin-bottom:2px'>%1</h3>").arg(esc(item.fileName));
    if (verdict) {
        const bool keep = verdict->effectiveKeep();
        QList<MetadataRow> rows;
        QString decision = verdict->isError() ? tr("Error") : keep ? tr("Keep") : tr("Discard");
        if (verdict->overrideKeep)
            decision += QLatin1Char(' ') + tr("(your decision)");
        rows << MetadataRow{tr("Verdict"), decision, {}};
        if (!verdict->reason.isEmpty())
            rows << MetadataRow{tr("Reason"), verdict->reason, {}};
        rows << MetadataRow{tr("Source"), sourceName(verdict->source), {}};
        if (const auto &group = verdict->result.group)
            rows << MetadataRow{tr("Group"), groupDescription(*group), {}};
        html += groupHtml(tr("Triage"), rows);
    }
    for (const MetadataGroup &group : MetadataFormatter::paneGroups(item, metadata))
        html += groupHtml(group.title, group.rows);
    m_browser->setHtml(html);
}

void MetadataPane::showSummary(const std::vector<MediaItem> &items, int keep, int discard)
{
    qint64 bytes = 0;
    int photos = 0, videos = 0;
    QDateTime first, last;
    for (const MediaItem &it : items) {
        bytes += it.sizeBytes;
        (it.kind == MediaKind::Photo ? photos : videos)++;
        if (it.modified.isValid()) {
            if (!first.isValid() || it.modified < first)
                first = it.modified;
            if (!last.isValid() || it.modified > last)
                last = it.modified;
        }
    }
    QList<MetadataRow> rows;
    rows << MetadataRow{tr("Items"), QString::number(items.size()), {}};
    rows << MetadataRow{tr("Photos"), QString::number(photos), {}};
    rows << MetadataRow{tr("Videos"), QString::number(videos), {}};
    rows << MetadataRow{tr("Total size"), MetadataFormatter::formatBytes(bytes), {}};
    const QLocale locale;
    if (first.isValid())
        rows << MetadataRow{tr("Modified"), tr("%1 – %2").arg(locale.toString(first, QLocale::ShortFormat),
                                                               locale.toString(last, QLocale::ShortFormat)), {}};
    if (keep + discard > 0) {
        rows << MetadataRow{tr("Keep"), QString::number(keep), {}};
        rows << MetadataRow{tr("Discard"), QString::number(discard), {}};
    }
    m_browser->setHtml(QStringLiteral("<h3>%1</h3>").arg(esc(tr("%n items selected", nullptr, int(items.size()))))
                       + groupHtml(tr("Selection"), rows));
}

QString MetadataPane::plainText() const
{
    return m_browser->toPlainText();
}

} // namespace mt::app
