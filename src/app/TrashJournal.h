#pragma once

#include "media/MediaItem.h"
#include "triage/Trash.h"
#include "triage/Verdict.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <QJsonArray>

#include <atomic>
#include <optional>
#include <vector>

namespace mt::app {

struct UndoOutcome {
    QStringList restored;
    std::vector<MediaItem> items; // the restored files, inspected again
    QStringList errors;
};

// Moves confirmed discards to the system trash with the core's DiscardMover (which refuses files
// that changed since their verdict), records every batch in a journal under the app data folder,
// and undoes the last batch by moving the files back (SystemTrash::restore, the platform's trash).
// The journal is written ahead: a batch is recorded before its first file moves, and when that
// record cannot be written no file moves at all (each outcome says why), so nothing ever sits in
// the trash without a way back. A journal that cannot be read is moved aside (CorruptFile) and a
// new one started. Disk work runs on a worker thread; results come back by signal.
class TrashJournal : public QObject
{
    Q_OBJECT

public:
    explicit TrashJournal(QString journalPath = defaultPath(), QObject *parent = nullptr);
    ~TrashJournal() override;

    static QString defaultPath();
    // `companions`: the files that go with an item (its RAW), moved right after it and only if it moved.
    void moveToTrash(const std::vector<TriageItemResult> &items, const QHash<QString, QStringList> &companions = {});
    void undoLast();
    bool canUndo() const;
    bool isBusy() const { return m_busy; }
    // Set when the journal found on disk could not be read and was moved aside (translated, names
    // the moved file). For the person, once.
    std::optional<QString> recoveryNotice() const { return m_notice; }

signals:
    void moved(const std::vector<mt::TrashOutcome> &outcomes);
    void undone(const mt::app::UndoOutcome &outcome);

private:
    QJsonArray load(); // moves a damaged journal aside
    void moveBatch(const std::vector<TriageItemResult> &items, const QHash<QString, QStringList> &companions,
                   std::vector<TrashOutcome> &outcomes);

    QString m_path;
    std::optional<QString> m_notice;
    QThreadPool m_pool;
    bool m_busy = false;
    std::atomic<int> m_batches{0}; // batches in the journal, kept here so canUndo() never reads the disk
};

} // namespace mt::app
