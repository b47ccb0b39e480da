#include "triage/VerdictStore.h"

#include "common/SqliteFile.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

namespace mt {

namespace {

SqliteSchema verdictSchema()
{
    return SqliteSchema{
        VerdictStore::tr("The verdict store"),
        {{QStringLiteral("verdicts"),
          {QStringLiteral("content_hash"), QStringLiteral("model"), QStringLiteral("prompt_version"), QStringLiteral("keep"),
           QStringLiteral("reason"), QStringLiteral("model_version"), QStringLiteral("file_name"), QStringLiteral("decided_at")},
          QStringLiteral("CREATE TABLE IF NOT EXISTS verdicts ("
                         " content_hash TEXT NOT NULL, model TEXT NOT NULL, prompt_version TEXT NOT NULL,"
                         " keep INTEGER NOT NULL, reason TEXT NOT NULL, model_version TEXT, file_name TEXT,"
                         " decided_at TEXT NOT NULL,"
                         " PRIMARY KEY (content_hash, model, prompt_version))")}}};
}

} // namespace

QString VerdictStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/verdicts.sqlite");
}

Result<std::unique_ptr<VerdictStore>> VerdictStore::open(const QString &path)
{
    auto file = SqliteFile::open(path, verdictSchema());
    if (!file)
        return file.error();
    return std::unique_ptr<VerdictStore>(new VerdictStore(std::move(*file)));
}

VerdictStore::VerdictStore(std::unique_ptr<SqliteFile> file) : m_file(std::move(file)) {}

VerdictStore::~VerdictStore() = default;

std::optional<QString> VerdictStore::recoveryNotice() const { return m_file->recoveryNotice(); }

QString VerdictStore::path() const { return m_file->path(); }

Result<std::optional<StoredVerdict>> VerdictStore::find(const QString &contentHash, const QString &model,
                                                        const QString &promptVersion) const
{
    QSqlQuery q(m_file->database());
    q.prepare(QStringLiteral("SELECT keep, reason, model_version, file_name, decided_at FROM verdicts"
                             " WHERE content_hash = ? AND model = ? AND prompt_version = ?"));
    q.addBindValue(contentHash);
    q.addBindValue(model);
    q.addBindValue(promptVersion);
    if (!q.exec())
        return m_file->errorFor(q.lastError(), tr("Cannot read the verdict store"));
    if (!q.next()) {
        // next() is also false when a page cannot be read: only an error-free end means "not found".
        if (q.lastError().isValid())
            return m_file->errorFor(q.lastError(), tr("Cannot read the verdict store"));
        return std::optional<StoredVerdict>();
    }
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
    const QString action = tr("Cannot write the verdict store");
    QSqlDatabase db = m_file->database();
    if (!db.transaction())
        return m_file->errorFor(db.lastError(), action);
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
            const Error error = m_file->errorFor(q.lastError(), action);
            db.rollback();
            return error;
        }
    }
    if (!db.commit()) {
        const Error error = m_file->errorFor(db.lastError(), action);
        db.rollback();
        return error;
    }
    return Done{};
}

int VerdictStore::count() const
{
    QSqlQuery q(m_file->database());
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM verdicts")) && q.next() ? q.value(0).toInt() : 0;
}

} // namespace mt
