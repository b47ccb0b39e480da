#include "TrashJournal.h"

#include "media/MediaType.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace mt::app {

namespace {

QJsonArray readJournal(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).array();
}

bool writeJournal(const QString &path, const QJsonArray &batches)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    // Atomic replace: a crash mid-write never loses the record of files already in the trash.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(batches).toJson());
    return f.commit();
}

QString trashInfoFor(const QString &trashedFile)
{
    const QFileInfo info(trashedFile);
    return QDir(info.absolutePath() + QStringLiteral("/../info")).absoluteFilePath(info.fileName() + QStringLiteral(".trashinfo"));
}

} // namespace

TrashJournal::TrashJournal(QString journalPath, QObject *parent) : QObject(parent), m_path(std::move(journalPath))
{
    m_pool.setMaxThreadCount(1);
    m_batches = int(readJournal(m_path).size());
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

void TrashJournal::moveToTrash(const std::vector<TriageItemResult> &items)
{
    m_busy = true;
    m_pool.start([this, items] {
        std::vector<TrashOutcome> outcomes;
        QJsonArray moves;
        for (const TriageItemResult &item : items) {
            TrashOutcome out = DiscardMover::moveToTrash(item);
            if (out.moved)
                moves.append(QJsonObject{{QStringLiteral("path"), out.path}, {QStringLiteral("trashPath"), out.trashPath}});
            outcomes.push_back(std::move(out));
        }
        if (!moves.isEmpty()) {
            QJsonArray journal = readJournal(m_path);
            journal.append(QJsonObject{{QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                                       {QStringLiteral("moves"), moves}});
            writeJournal(m_path, journal);
            m_batches = int(journal.size());
        }
        QMetaObject::invokeMethod(this, [this, outcomes = std::move(outcomes)] {
            m_busy = false;
            emit moved(outcomes);
        }, Qt::QueuedConnection);
    });
}

void TrashJournal::undoLast()
{
    m_busy = true;
    m_pool.start([this] {
        UndoOutcome outcome;
        QJsonArray journal = readJournal(m_path);
        if (!journal.isEmpty()) {
            const QJsonArray moves = journal.last().toObject().value(QStringLiteral("moves")).toArray();
            QJsonArray remaining;
            for (const QJsonValue &v : moves) {
                const QString path = v[QStringLiteral("path")].toString();
                const QString trashPath = v[QStringLiteral("trashPath")].toString();
                if (QFileInfo::exists(path)) {
                    outcome.errors << tr("%1: a file with that name exists again").arg(path);
                    remaining.append(v);
                } else if (!QFileInfo::exists(trashPath)) {
                    outcome.errors << tr("%1: no longer in the trash").arg(path);
                } else if (!QDir().mkpath(QFileInfo(path).absolutePath()) || !QFile::rename(trashPath, path)) {
                    outcome.errors << tr("%1: could not be moved back").arg(path);
                    remaining.append(v);
                } else {
                    QFile::remove(trashInfoFor(trashPath));
                    outcome.restored << path;
                    outcome.items.push_back(inspectFile(path));
                }
            }
            // Whatever could not be restored stays in the journal for another try.
            if (remaining.isEmpty())
                journal.removeLast();
            else {
                QJsonObject batch = journal.last().toObject();
                batch.insert(QStringLiteral("moves"), remaining);
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
