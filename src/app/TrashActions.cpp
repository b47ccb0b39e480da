#include "TrashActions.h"

#include "TrashConfirmDialog.h"

#include <QAction>
#include <QFileInfo>
#include <QStyle>
#include <QWidget>

namespace mt::app {

namespace {
// What the trash takes: a decided discard, never an item whose triage failed.
bool isDiscard(const GridEntry &e)
{
    return e.verdict && !e.verdict->isError() && !e.verdict->effectiveKeep();
}
} // namespace

TrashActions::TrashActions(MediaGridModel *model, QWidget *window)
    : QObject(window), m_model(model), m_window(window), m_journal(new TrashJournal(TrashJournal::defaultPath(), this)),
      m_trash(new QAction(tr("&Move Discards to Trash…"), this)), m_undo(new QAction(tr("&Undo Move to Trash"), this))
{
    m_trash->setObjectName(QStringLiteral("moveToTrash"));
    m_trash->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Delete));
    m_trash->setIcon(QIcon::fromTheme(QStringLiteral("user-trash"), window->style()->standardIcon(QStyle::SP_TrashIcon)));
    connect(m_trash, &QAction::triggered, this, [this] { moveDiscardsToTrash(true); });
    m_undo->setObjectName(QStringLiteral("undo"));
    m_undo->setShortcut(QKeySequence::Undo);
    connect(m_undo, &QAction::triggered, this, &TrashActions::undoTrash);

    connect(m_journal, &TrashJournal::moved, this, &TrashActions::onMoved);
    connect(m_journal, &TrashJournal::undone, this, &TrashActions::onUndone);
}

void TrashActions::updateEnabled()
{
    const auto &entries = m_model->entries();
    const int discards = int(std::count_if(entries.begin(), entries.end(), isDiscard));
    m_trash->setEnabled(discards > 0 && !m_journal->isBusy());
    m_trash->setText(discards > 0 ? tr("&Move %n Discard(s) to Trash…", nullptr, discards) : tr("&Move Discards to Trash…"));
    m_undo->setEnabled(m_journal->canUndo());
}

void TrashActions::moveDiscardsToTrash(bool confirm)
{
    std::vector<TriageItemResult> items;
    QHash<QString, QStringList> companions;
    QList<TrashCandidate> candidates;
    for (const GridEntry &e : m_model->entries()) {
        if (!isDiscard(e))
            continue;
        TriageItemResult r;
        r.path = e.item.path;
        r.verdict = VerdictKind::Discard;
        r.reason = e.verdict->reason;
        r.contentHash = e.verdict->contentHash;
        items.push_back(r);
        if (!e.item.companions.isEmpty())
            companions.insert(e.item.path, e.item.companions);
        candidates << TrashCandidate{e.item.path, e.item.fileName, e.item.sizeBytes, e.thumbnail, e.verdict->reason};
    }
    if (items.empty())
        return;
    if (confirm) {
        TrashConfirmDialog dialog(candidates, m_window);
        if (dialog.exec() != QDialog::Accepted)
            return;
    }
    for (const TriageItemResult &r : items)
        if (const ItemVerdict *v = m_model->verdict(r.path))
            m_trashedVerdicts.insert(r.path, *v);
    emit progressText(tr("Moving %n item(s) to the trash…", nullptr, int(items.size())));
    m_journal->moveToTrash(items, companions);
    updateEnabled();
}

void TrashActions::onMoved(const std::vector<TrashOutcome> &outcomes)
{
    QStringList moved, refused;
    for (const TrashOutcome &o : outcomes) {
        if (o.moved)
            moved << o.path;
        else
            refused << QStringLiteral("%1: %2").arg(QFileInfo(o.path).fileName(), o.error);
    }
    m_model->removePaths(moved);
    emit itemsChanged();
    emit message(tr("%n item(s) moved to the trash (Edit › Undo brings them back)", nullptr, int(moved.size())), 10000);
    if (!refused.isEmpty())
        emit warning(tr("Move to Trash"),
                     tr("%n item(s) were left in place:", nullptr, int(refused.size())) + QLatin1Char('\n') + refused.join(QLatin1Char('\n')));
    emit trashFinished(int(moved.size()), int(refused.size()));
}

void TrashActions::undoTrash()
{
    if (!m_journal->canUndo())
        return;
    m_journal->undoLast();
    updateEnabled();
}

void TrashActions::onUndone(const UndoOutcome &outcome)
{
    std::vector<MediaItem> items;
    for (const MediaItem &item : outcome.items) {
        if (QFileInfo(item.path).absolutePath() == m_folder)
            items.push_back(item);
    }
    m_model->insertItems(items);
    for (const MediaItem &item : items) {
        if (auto found = m_trashedVerdicts.constFind(item.path); found != m_trashedVerdicts.cend())
            m_model->setVerdict(item.path, *found);
    }
    emit itemsChanged();
    emit message(tr("%n item(s) restored from the trash", nullptr, int(outcome.restored.size())), 10000);
    if (!outcome.errors.isEmpty())
        emit warning(tr("Undo"), outcome.errors.join(QLatin1Char('\n')));
    emit undoFinished(int(outcome.restored.size()));
}

} // namespace mt::app
