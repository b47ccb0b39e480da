#include "common/SqliteFile.h"

#include "common/CorruptFile.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace mt {

namespace {

std::atomic<int> g_connections{0};

// SQLite's primary result codes (sqlite3.h); Qt's QSQLITE driver reports them as nativeErrorCode().
enum SqliteCode { Busy = 5, Locked = 6, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13, CantOpen = 14, NotADb = 26 };

int sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1; // an extended code carries the primary one in its low byte
}

bool isDamage(int code) { return code == Corrupt || code == NotADb; }

// A rollback journal left by a crash holds committed-but-unapplied pages of this very file.
const QStringList kSiblings{QStringLiteral("-journal"), QStringLiteral("-wal"), QStringLiteral("-shm")};

} // namespace

SqliteFile::~SqliteFile()
{
    if (m_connection.isEmpty())
        return;
    database().close();
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase SqliteFile::database() const { return QSqlDatabase::database(m_connection, false); }

Result<std::unique_ptr<SqliteFile>> SqliteFile::connect(const QString &path, bool readOnly)
{
    std::unique_ptr<SqliteFile> file(new SqliteFile);
    file->m_path = path;
    file->m_readOnly = readOnly;
    file->m_connection = QStringLiteral("mt-sqlite-%1").arg(g_connections.fetch_add(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), file->m_connection);
    db.setDatabaseName(path);
    // Another store on the same file (the app's overrides, a second window) writes in short
    // transactions; waiting a few seconds for it is better than failing.
    db.setConnectOptions(readOnly ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY")
                                  : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return file->errorFor(db.lastError(), tr("Cannot open %1").arg(QDir::toNativeSeparators(path)));
    return file;
}

Result<std::unique_ptr<SqliteFile>> SqliteFile::open(const QString &path, const SqliteSchema &schema)
{
    const QFileInfo info(path);
    const QString native = QDir::toNativeSeparators(path);
    if (info.isDir())
        return makeError(Error::Code::InvalidArgument,
                         tr("%1 cannot be opened: %2 is a folder. Move or rename the folder, then try again.").arg(schema.what, native));
    const QString folder = info.absolutePath();
    if (!QDir().mkpath(folder))
        return makeError(Error::Code::Io, tr("%1 cannot be created: the folder %2 cannot be created.")
                                              .arg(schema.what, QDir::toNativeSeparators(folder)));
    const bool readOnly = info.exists() && (!info.isWritable() || !QFileInfo(folder).isWritable());
    // An empty file is what a crash or a full disk leaves of a store: say so rather than start
    // over silently.
    std::optional<QString> why;
    if (info.exists() && info.size() == 0)
        why = tr("the file is empty");
    auto file = connect(path, readOnly);
    if (!file)
        return file.error();
    if (!why) {
        auto damaged = (*file)->damage(schema);
        if (!damaged)
            return damaged.error();
        why = *damaged;
    }
    if (why) {
        if (readOnly)
            return makeError(Error::Code::Corrupt, tr("%1 %2 cannot be read (%3) and cannot be replaced because it is read-only.")
                                                       .arg(schema.what, native, *why));
        file->reset(); // closed before the rename: Windows cannot rename an open file
        auto moved = CorruptFile::moveAside(path, kSiblings);
        if (!moved)
            return moved.error();
        file = connect(path, false);
        if (!file)
            return file.error();
        (*file)->m_notice = CorruptFile::notice(schema.what, *why, *moved);
    }
    if (!readOnly) {
        if (auto created = (*file)->createMissingTables(schema); !created)
            return created.error();
    }
    return file;
}

Result<std::optional<QString>> SqliteFile::damage(const SqliteSchema &schema) const
{
    QSqlQuery q(database());
    // quick_check reads every page, so a truncated file or a broken b-tree is found here and not
    // in the middle of a paid run.
    if (!q.exec(QStringLiteral("PRAGMA quick_check"))) {
        if (isDamage(sqliteCode(q.lastError())))
            return std::optional<QString>(q.lastError().databaseText());
        return errorFor(q.lastError(), tr("Cannot read %1").arg(QDir::toNativeSeparators(m_path)));
    }
    if (q.next() && q.value(0).toString() != QLatin1String("ok"))
        return std::optional<QString>(tr("integrity check: %1").arg(q.value(0).toString()));
    QStringList present;
    if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'")))
        return errorFor(q.lastError(), tr("Cannot read %1").arg(QDir::toNativeSeparators(m_path)));
    while (q.next())
        present << q.value(0).toString();
    if (present.isEmpty())
        return std::optional<QString>();
    for (const SqliteSchema::Table &table : schema.tables) {
        if (!present.contains(table.name))
            return std::optional<QString>(tr("it has no table \"%1\"").arg(table.name));
        QStringList columns;
        if (!q.exec(QStringLiteral("PRAGMA table_info(\"%1\")").arg(table.name)))
            return errorFor(q.lastError(), tr("Cannot read %1").arg(QDir::toNativeSeparators(m_path)));
        while (q.next())
            columns << q.value(1).toString();
        for (const QString &column : table.columns) {
            if (!columns.contains(column))
                return std::optional<QString>(tr("table \"%1\" has no column \"%2\"").arg(table.name, column));
        }
    }
    return std::optional<QString>();
}

Status SqliteFile::createMissingTables(const SqliteSchema &schema)
{
    QSqlQuery q(database());
    // A rollback journal rather than WAL: a WAL file cannot even be read from a read-only folder
    // (it needs its -shm file), and its readers never see another program's lock.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=DELETE")))
        return errorFor(q.lastError(), tr("Cannot prepare %1").arg(QDir::toNativeSeparators(m_path)));
    for (const SqliteSchema::Table &table : schema.tables) {
        if (!q.exec(table.createStatement))
            return errorFor(q.lastError(), tr("Cannot prepare %1").arg(QDir::toNativeSeparators(m_path)));
    }
    return Done{};
}

Error SqliteFile::errorFor(const QSqlError &error, const QString &action) const
{
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    const QString native = QDir::toNativeSeparators(m_path);
    switch (sqliteCode(error)) {
    case Full:
        return makeError(Error::Code::Io, tr("%1: the disk is full (%2). Free some space, then try again.").arg(action, detail));
    case ReadOnly:
        return makeError(Error::Code::PermissionDenied,
                         tr("%1: %2 is read-only (%3). Check the permissions of the file and its folder.").arg(action, native, detail));
    case Busy:
    case Locked:
        return makeError(Error::Code::Io,
                         tr("%1: %2 is locked by another program (%3). Close the other program, then try again.").arg(action, native, detail));
    case Corrupt:
    case NotADb:
        return makeError(Error::Code::Corrupt, tr("%1: %2 is damaged (%3). Restart the app to replace it.").arg(action, native, detail));
    case CantOpen:
    case IoErr:
        return makeError(Error::Code::Io, tr("%1: %2 cannot be read or written (%3).").arg(action, native, detail));
    default:
        return makeError(Error::Code::Io, tr("%1: %2").arg(action, detail));
    }
}

} // namespace mt
