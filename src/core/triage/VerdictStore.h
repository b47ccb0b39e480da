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

// Gemini verdicts that were paid for, in SQLite (Qt Sql), keyed by content hash + model + prompt
// version, so a renamed or moved file is still known and a new model or prompt asks again. Each
// put() is one transaction; the journal is WAL, so a process killed at any point keeps every
// batch written before. Use an instance from the thread that opened it.
class VerdictStore {
    Q_DECLARE_TR_FUNCTIONS(VerdictStore)
public:
    // <AppDataLocation>/verdicts.sqlite
    static QString defaultPath();
    static Result<std::unique_ptr<VerdictStore>> open(const QString &path = defaultPath());
    ~VerdictStore();
    VerdictStore(const VerdictStore &) = delete;
    VerdictStore &operator=(const VerdictStore &) = delete;

    QString path() const { return m_path; }
    // Set when open() found a damaged store and moved it aside.
    std::optional<QString> recoveryNotice() const { return m_recoveryNotice; }
    // Found: the verdict; not found: std::nullopt; any other failure: an Error.
    Result<std::optional<StoredVerdict>> find(const QString &contentHash, const QString &model, const QString &promptVersion) const;
    [[nodiscard]] Status put(const std::vector<StoredVerdict> &verdicts);
    int count() const;

private:
    VerdictStore() = default;
    QString m_connection;
    QString m_path;
    std::optional<QString> m_recoveryNotice;
};

} // namespace mt
