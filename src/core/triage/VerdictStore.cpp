#include "triage/VerdictStore.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <atomic>

namespace mt {

namespace {
std::atomic<int> g_connections{0};

QSqlDatabase database(const QString &connection) { return QSqlDatabase::database(connection, false); }
} // namespace

QString VerdictStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/verdicts.sqlite");
}

Result<std::unique_ptr<VerdictStore>> VerdictStore::open(const QString &path)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(Error::Code::Io, tr("Cannot create the folder for the verdict store %1.").arg(path));
    std::unique_ptr<VerdictStore> store(new VerdictStore);
    store->m_path = path;
    store->m_connection = QStringLiteral("mt-verdicts-%1").arg(g_connections.fetch_add(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), store->m_connection);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return makeError(Error::Code::Io, tr("Cannot open the verdict store %1: %2").arg(path, db.lastError().text()));
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    if (!q.exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS verdicts ("
            " content_hash TEXT NOT NULL, model TEXT NOT NULL, prompt_version TEXT NOT NULL,"
            " keep INTEGER NOT NULL, reason TEXT NOT NULL, model_version TEXT, file_name TEXT,"
            " decided_at TEXT NOT NULL,"
            " PRIMARY KEY (content_hash, model, prompt_version))")))
        return makeError(Error::Code::Io, tr("Cannot prepare the verdict store %1: %2").arg(path, q.lastError().text()));
    return store;
}

VerdictStore::~VerdictStore()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = database(m_connection);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Result<std::optional<StoredVerdict>> VerdictStore::find(const QString &contentHash, const QString &model,
                                                const QString &promptVersion) const
{
    QSqlQuery q(database(m_connection));
    q.prepare(QStringLiteral("SELECT keep, reason, model_version, file_name, decided_at FROM verdicts"
                             " WHERE content_hash = ? AND model = ? AND prompt_version = ?"));
    q.addBindValue(contentHash);
    q.addBindValue(model);
    q.addBindValue(promptVersion);
    if (!q.exec())
        return makeError(Error::Code::Io, tr("Cannot read the verdict store %1: %2").arg(m_path, q.lastError().text()));
    if (!q.next())
        return std::optional<StoredVerdict>();
    StoredVerdict v;
    v.contentHash = contentHash;
    v.model = model;
    v.promptVersion = promptVersion;
    v.keep = q.value(0).toInt() != 0;
    v.reason = q.value(1).toString();
    v.modelVersion = q.value(2).toString();
    v.fileName = q.value(3).toString();
    v.decidedAt = QDateTime::fromString(q.value(4).toString(), Qt::ISODate);
    return std::optional<StoredVerdict>(std::move(v));
}

Status VerdictStore::put(const std::vector<StoredVerdict> &verdicts)
{
    if (verdicts.empty())
        return Done{};
    QSqlDatabase db = database(m_connection);
    if (!db.transaction())
        return makeError(Error::Code::Io, tr("Cannot write the verdict store: %1").arg(db.lastError().text()));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO verdicts"
                             " (content_hash, model, prompt_version, keep, reason, model_version, file_name, decided_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const StoredVerdict &v : verdicts) {
        q.addBindValue(v.contentHash);
        q.addBindValue(v.model);
        q.addBindValue(v.promptVersion);
        q.addBindValue(v.keep ? 1 : 0);
        q.addBindValue(v.reason);
        q.addBindValue(v.modelVersion);
        q.addBindValue(v.fileName);
        q.addBindValue((v.decidedAt.isValid() ? v.decidedAt : QDateTime::currentDateTimeUtc()).toString(Qt::ISODate));
        if (!q.exec()) {
            const QString why = q.lastError().text();
            db.rollback();
            return makeError(Error::Code::Io, tr("Cannot write the verdict store: %1").arg(why));
        }
    }
    if (!db.commit())
        return makeError(Error::Code::Io, tr("Cannot write the verdict store: %1").arg(db.lastError().text()));
    return Done{};
}

int VerdictStore::count() const
{
    QSqlQuery q(database(m_connection));
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM verdicts")) && q.next() ? q.value(0).toInt() : 0;
}

} // namespace mt
