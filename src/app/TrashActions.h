#pragma once

#include "MediaGridModel.h"
#include "TrashJournal.h"

#include <QHash>
#include <QObject>

class QAction;
class QWidget;

namespace mt::app {

// Moving the confirmed discards to the system trash and undoing the last move. Owns the two
// actions and the journal; remembers the verdicts of what it moved so Undo brings them back too.
class TrashActions : public QObject
{
    Q_OBJECT

public:
    TrashActions(MediaGridModel *model, QWidget *window);

    QAction *trashAction() const { return m_trash; }
    QAction *undoAction() const { return m_undo; }
    QList<QAction *> actions() const { return {m_trash, m_undo}; }

    // Restored files come back only into the folder the window shows.
    void setFolder(const QString &folder) { m_folder = folder; }
    void moveDiscardsToTrash(bool confirm = true);
    void undoTrash();
    void updateEnabled();

    std::optional<QString> journalNotice() const { return m_journal->recoveryNotice(); }

signals:
    void progressText(const QString &text);
    // Rows left or came back: the window recounts and fetches thumbnails.
    void itemsChanged();
    void message(const QString &text, int timeoutMs);
    void warning(const QString &title, const QString &text);
    void trashFinished(int moved, int refused);
    void undoFinished(int restored);

private:
    void onMoved(const std::vector<TrashOutcome> &outcomes);
    void onUndone(const UndoOutcome &outcome);

    MediaGridModel *m_model;
    QWidget *m_window;
    TrashJournal *m_journal;
    QAction *m_trash;
    QAction *m_undo;
    QString m_folder;
    QHash<QString, ItemVerdict> m_trashedVerdicts;
};

} // namespace mt::app
