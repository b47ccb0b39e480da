#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace mt {

struct StoredVerdict {
    QString contentHash;
    QString model;
    QString promptVersion;
    bool keep = true;
    QString reason;
    QString modelVersion;
    QString fileName; // for people reading the database; not part of the key
    QDateTime decidedAt;
};

class SqliteFile;

// Gemini verdicts that were paid for, in SQLite (Qt Sql), keyed by content hash + model + prompt
// version, so a renamed or moved file is still known and a new model or prompt asks again. Each
// put() is one transaction, so a process killed at any point keeps every batch written before.
// A damaged file is moved aside and replaced (SqliteFile); a read-only one still answers find().
// Use an instance from the thread that opened it.
class VerdictStore {
    Q_DECLARE_TR_FUNCTIONS(VerdictStore)
public:
    // <AppDataLocation>/verdicts.sqlite
    static QString defaultPath();
    // Opens or creates the store. A file that is not a valid verdict store (random bytes, truncated,
    // empty, wrong schema, failed integrity check) is moved aside to "<path>.corrupt-<yyyyMMdd-HHmmss>"
    // and a fresh store is created; recoveryNotice() then says so. A folder in its place, a locked
    // file or an unreadable one is an Error and nothing is moved.
    static Result<std::unique_ptr<VerdictStore>> open(const QString &path = defaultPath());
    ~VerdictStore();
    VerdictStore(const VerdictStore &) = delete;
    VerdictStore &operator=(const VerdictStore &) = delete;

    // Translated; names the file the damaged store was moved to. Show it to the person once.
    std::optional<QString> recoveryNotice() const;
    QString path() const;
    // Found: the verdict; not found: std::nullopt; any other failure (I/O, locked, corrupt page):
    // an Error, so a caller never pays again for a verdict it merely could not read.
    Result<std::optional<StoredVerdict>> find(const QString &contentHash, const QString &model, const QString &promptVersion) const;
    // All or nothing: one transaction.
    [[nodiscard]] Status put(const std::vector<StoredVerdict> &verdicts);
    int count() const;

private:
    explicit VerdictStore(std::unique_ptr<SqliteFile> file);
    std::unique_ptr<SqliteFile> m_file;
};

} // namespace mt
