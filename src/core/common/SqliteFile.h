#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QSqlError;

namespace mt {

// What a store expects to find in its file. A file with none of these tables is new and gets them;
// a file with some of them missing or lacking a listed column is somebody else's or damaged.
struct SqliteSchema {
    struct Table {
        QString name;
        QStringList columns;
        QString createStatement;
    };
    QString what; // translated noun phrase for messages, e.g. "The verdict store"
    std::vector<Table> tables;
};

// One SQLite file behind a Qt Sql connection of its own, opened so that a damaged file never stops
// the app and never loses what it held: random bytes, a truncated or empty file, a failed integrity
// check or a foreign schema is moved aside (CorruptFile) and a fresh file is created, with a notice
// for the person. A file or folder that cannot be written is opened read-only, so reads still work
// and writes fail with a clear error. Use an instance from the thread that opened it.
class SqliteFile {
    Q_DECLARE_TR_FUNCTIONS(SqliteFile)
public:
    static Result<std::unique_ptr<SqliteFile>> open(const QString &path, const SqliteSchema &schema);
    ~SqliteFile();
    SqliteFile(const SqliteFile &) = delete;
    SqliteFile &operator=(const SqliteFile &) = delete;

    QSqlDatabase database() const;
    QString path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }
    std::optional<QString> recoveryNotice() const { return m_notice; }

    // A failed statement as an error the person can act on: the disk is full, the file is
    // read-only, another program holds it locked, or it is damaged. `action` says what failed
    // ("Cannot write the verdict store").
    Error errorFor(const QSqlError &error, const QString &action) const;

private:
    SqliteFile() = default;
    static Result<std::unique_ptr<SqliteFile>> connect(const QString &path, bool readOnly);
    // Why the file is not a usable store (std::nullopt when it is), or an Error when that cannot be
    // told (locked, unreadable): a file that might be fine is never moved aside.
    Result<std::optional<QString>> damage(const SqliteSchema &schema) const;
    Status createMissingTables(const SqliteSchema &schema);

    QString m_connection;
    QString m_path;
    bool m_readOnly = false;
    std::optional<QString> m_notice;
};

} // namespace mt
