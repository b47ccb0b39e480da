#include "TrashJournal.h"

#include "common/CorruptFile.h"
#include "media/NativePath.h"
#include "media/MediaType.h"
#include "media/RawCompanions.h"
#include "triage/CompanionTrash.h"
#include "platform/SystemTrash.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>

namespace mt::app {

namespace {

const QString kMoves = QStringLiteral("moves");
const QString kPath = QStringLiteral("path");
const QString kTrashPath = QStringLiteral("trashPath");

// No file yet is an empty journal; a file that is not a JSON array is damaged (std::nullopt).
std::optional<QJsonArray> readJournal(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return QJsonArray();
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return std::nullopt;
    return doc.array();
}

QString writeJournal(const QString &path, const QJsonArray &batches)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return TrashJournal::tr("its folder cannot be created");
    // Atomic replace: a crash mid-write never loses the record of files already in the trash.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return f.errorString();
    if (f.write(QJsonDocument(batches).toJson()) < 0 || !f.commit())
        return f.errorString();
    return {};
}

} // namespace

TrashJournal::TrashJournal(QString journalPath, QObject *parent) : QObject(parent), m_path(std::move(journalPath))
{
    m_pool.setMaxThreadCount(1);
    m_batches = int(load().size());
}

TrashJournal::~TrashJournal()
{
    m_pool.waitForDone();
}

QString TrashJournal::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/trash-journal.json");
}

bool TrashJournal::canUndo() const
{
    return !m_busy && m_batches > 0;
}

QJsonArray TrashJournal::load()
{
    if (auto journal = readJournal(m_path))
        return *journal;
    auto moved = CorruptFile::moveAside(m_path);
    const QString notice = moved ? CorruptFile::notice(tr("The trash journal"), tr("it is not a valid journal"), *moved)
                                 : moved.error().message;
    if (QThread::currentThread() == thread())
        m_notice = notice;
    else
        QMetaObject::invokeMethod(this, [this, notice] { m_notice = notice; }, Qt::QueuedConnection);
    return {};
}

void TrashJournal::moveToTrash(const std::vector<TriageItemResult> &items, const QHash<QString, QStringList> &companions)
{
    m_busy = true;
    m_pool.start([this, items, companions] {
        std::vector<TrashOutcome> outcomes;
        moveBatch(items, companions, outcomes);
        QMetaObject::invokeMethod(this, [this, outcomes = std::move(outcomes)] {
            m_busy = false;
            emit moved(outcomes);
        }, Qt::QueuedConnection);
    });
}

void TrashJournal::moveBatch(const std::vector<TriageItemResult> &items, const QHash<QString, QStringList> &companions,
                             std::vector<TrashOutcome> &outcomes)
{
    // Written ahead: the batch is on disk, with the original paths, before the first file moves.
    QJsonArray journal = load();
    QJsonArray planned;
    for (const TriageItemResult &item : items)
        for (const QString &path : QStringList{item.path} + companions.value(item.path))
            planned.append(QJsonObject{{kPath, path}, {kTrashPath, QString()}});
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    journal.append(QJsonObject{{QStringLiteral("time"), time}, {kMoves, planned}});
    if (const QString why = writeJournal(m_path, journal); !why.isEmpty()) {
        const QString error = tr("not moved: the trash journal %1 cannot be written (%2), so the move could not be undone")
                                  .arg(QDir::toNativeSeparators(m_path), why);
        for (const TriageItemResult &item : items)
            outcomes.push_back(TrashOutcome{item.path, false, {}, error});
        for (const QStringList &paths : companions)
            for (const QString &path : paths)
                outcomes.push_back(TrashOutcome{path, false, {}, error});
        return;
    }
    QJsonArray moves;
    for (const TriageItemResult &item : items) {
        TrashOutcome out = DiscardMover::moveToTrash(item);
        const bool moved = out.moved;
        if (moved)
            moves.append(QJsonObject{{kPath, out.path}, {kTrashPath, out.trashPath}});
        outcomes.push_back(std::move(out));
        if (!moved)
            continue;
        for (TrashOutcome &c : moveCompanionsToTrash(item, companions.value(item.path))) {
            if (c.moved)
                moves.append(QJsonObject{{kPath, c.path}, {kTrashPath, c.trashPath}});
            outcomes.push_back(std::move(c));
        }
    }
    // Now where each file went; a batch in which nothing moved leaves no entry.
    journal.removeLast();
    if (!moves.isEmpty())
        journal.append(QJsonObject{{QStringLiteral("time"), time}, {kMoves, moves}});
    if (writeJournal(m_path, journal).isEmpty())
        m_batches = int(journal.size());
    else
        m_batches = int(journal.size()) + (moves.isEmpty() ? 1 : 0); // the planned batch is still on disk
}

void TrashJournal::undoLast()
{
    m_busy = true;
    m_pool.start([this] {
        UndoOutcome outcome;
        QJsonArray journal = load();
        if (!journal.isEmpty()) {
            const QJsonArray moves = journal.last().toObject().value(kMoves).toArray();
            QJsonArray remaining;
            for (const QJsonValue &v : moves) {
                const QString path = v[kPath].toString();
                const QString trashPath = v[kTrashPath].toString();
                if (trashPath.isEmpty() && NativePath::status(path).exists) {
                    // Planned in a batch whose record could not be updated after the moves: never moved.
                } else if (trashPath.isEmpty()) {
                    // Moved in such a batch: the file is in the trash, but the journal does not say where.
                    outcome.errors << tr("%1: where it went in the trash was not recorded; restore it from the system trash").arg(path);
                } else if (const Status back = SystemTrash::platform().restore(trashPath, path); !back) {
                    outcome.errors << tr("%1: %2").arg(path, back.error().message);
                    if (back.error().code != Error::Code::NotFound) // gone from the trash: nothing left to retry
                        remaining.append(v);
                } else {
                    outcome.restored << path;
                    outcome.items.push_back(inspectFile(path));
                }
            }
            mergeRawCompanions(outcome.items); // a restored RAW+JPEG pair is one item again
            // Whatever could not be restored stays in the journal for another try.
            if (remaining.isEmpty())
                journal.removeLast();
            else {
                QJsonObject batch = journal.last().toObject();
                batch.insert(kMoves, remaining);
                journal.replace(journal.size() - 1, batch);
            }
            writeJournal(m_path, journal);
            m_batches = int(journal.size());
        }
        QMetaObject::invokeMethod(this, [this, outcome] {
            m_busy = false;
            emit undone(outcome);
        }, Qt::QueuedConnection);
    });
}

} // namespace mt::app
