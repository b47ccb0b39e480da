// The verdict store under damage: a file that is not a store is moved aside (kept byte for byte)
// and replaced; a folder in its place, a read-only file, a full disk and another program's lock
// are clear errors, and a lookup that fails is never mistaken for "not judged yet".
#include "DamagedFiles.h"
#include "Unprivileged.h"
#include "triage/VerdictStore.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;
using namespace mt::test;

namespace {

enum class Damage { RandomBytes, Truncated, DamagedPages, WrongColumns, ForeignTables, ZeroBytes };

StoredVerdict verdict(const QString &hash, bool keep = true)
{
    return StoredVerdict{hash, QStringLiteral("m1"), QStringLiteral("p1"), keep, QStringLiteral("reason for ") + hash,
                         QStringLiteral("m1-001"), QStringLiteral("file.jpg"), QDateTime::currentDateTimeUtc()};
}

std::vector<StoredVerdict> manyVerdicts(int n, const QString &prefix)
{
    std::vector<StoredVerdict> out;
    for (int i = 0; i < n; ++i)
        out.push_back(verdict(prefix + QString::number(i).repeated(8)));
    return out;
}

// A real store with enough rows to span many pages.
void writeRealStore(const QString &path)
{
    auto store = VerdictStore::open(path);
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
    QVERIFY((*store)->put(manyVerdicts(2000, QStringLiteral("h"))).ok());
}

// A plain SQLite file made by another program, with `statement` run in it.
void writeSqlite(const QString &path, const QString &statement)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other-program"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(statement));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("other-program"));
}

void makeDamaged(Damage damage, const QString &path)
{
    switch (damage) {
    case Damage::RandomBytes: {
        QByteArray bytes(8192, '\0');
        QRandomGenerator rng(12);
        for (char &c : bytes)
            c = char(rng.bounded(256));
        writeAll(path, bytes);
        break;
    }
    case Damage::Truncated: {
        writeRealStore(path);
        QFile f(path);
        QVERIFY(f.resize(f.size() / 2));
        break;
    }
    case Damage::DamagedPages: {
        writeRealStore(path);
        QByteArray bytes = readAll(path);
        QVERIFY(bytes.size() > 16 * 4096);
        bytes.replace(4 * 4096, 8 * 4096, QByteArray(8 * 4096, '\xA5')); // b-tree pages, not the header
        writeAll(path, bytes);
        break;
    }
    case Damage::WrongColumns:
        writeSqlite(path, QStringLiteral("CREATE TABLE verdicts (x INTEGER)"));
        break;
    case Damage::ForeignTables:
        writeSqlite(path, QStringLiteral("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)"));
        break;
    case Damage::ZeroBytes:
        writeAll(path, {});
        break;
    }
}

// The store's own connection, to set a limit on it the way a full disk would.
QSqlDatabase connectionOf(const QString &path)
{
    for (const QString &name : QSqlDatabase::connectionNames()) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.databaseName() == path)
            return db;
    }
    return {};
}

} // namespace

Q_DECLARE_METATYPE(Damage)

class TestVerdictStoreRecovery : public QObject
{
    Q_OBJECT

    void checkReadOnlyStore(const QString &path)
    {
        auto store = VerdictStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QVERIFY(!(*store)->recoveryNotice());
        const auto found = (*store)->find(QStringLiteral("kept"), QStringLiteral("m1"), QStringLiteral("p1"));
        QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().message));
        QVERIFY(found->has_value());
        QCOMPARE((*found)->reason, QStringLiteral("reason for kept"));
        const Status written = (*store)->put({verdict(QStringLiteral("new"))});
        QVERIFY(!written.ok());
        QCOMPARE(written.error().code, Error::Code::PermissionDenied);
        QVERIFY2(written.error().message.contains(QLatin1String("read-only")), qPrintable(written.error().message));
        QVERIFY(written.error().message.contains(QDir::toNativeSeparators(path)));
        QCOMPARE((*store)->count(), 1);
        QVERIFY(movedAside(path).isEmpty());
    }

private slots:
    void damagedStoreIsMovedAsideAndReplaced_data()
    {
        QTest::addColumn<Damage>("damage");
        QTest::newRow("random bytes") << Damage::RandomBytes;
        QTest::newRow("truncated real store") << Damage::Truncated;
        QTest::newRow("damaged pages (integrity check)") << Damage::DamagedPages;
        QTest::newRow("wrong schema: columns") << Damage::WrongColumns;
        QTest::newRow("wrong schema: another program's tables") << Damage::ForeignTables;
        QTest::newRow("zero bytes") << Damage::ZeroBytes;
    }

    void damagedStoreIsMovedAsideAndReplaced()
    {
        QFETCH(Damage, damage);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("verdicts.sqlite"));
        makeDamaged(damage, path);
        if (QTest::currentTestFailed())
            return;
        const QByteArray original = readAll(path);

        auto store = VerdictStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        const QStringList moved = movedAside(path);
        QCOMPARE(moved.size(), 1);
        QVERIFY(QFileInfo(moved.first()).fileName().contains(QRegularExpression(QStringLiteral("\\.corrupt-\\d{8}-\\d{6}$"))));
        QCOMPARE(readAll(moved.first()), original);
        const auto notice = (*store)->recoveryNotice();
        QVERIFY(notice);
        QVERIFY2(notice->contains(QDir::toNativeSeparators(moved.first())), qPrintable(*notice));

        QCOMPARE((*store)->count(), 0);
        QVERIFY((*store)->put({verdict(QStringLiteral("abc"), false)}).ok());
        const auto found = (*store)->find(QStringLiteral("abc"), QStringLiteral("m1"), QStringLiteral("p1"));
        QVERIFY(found.ok() && found->has_value());
        QVERIFY(!(*found)->keep);

        // The fresh store is a store: reopening it neither moves it nor warns again.
        store = VerdictStore::open(path);
        QVERIFY(store.ok());
        QVERIFY(!(*store)->recoveryNotice());
        QCOMPARE((*store)->count(), 1);
        QCOMPARE(movedAside(path).size(), 1);
    }

    void healthyStoreIsKept()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("verdicts.sqlite"));
        writeRealStore(path);
        auto store = VerdictStore::open(path);
        QVERIFY(store.ok());
        QVERIFY(!(*store)->recoveryNotice());
        QCOMPARE((*store)->count(), 2000);
        QVERIFY(movedAside(path).isEmpty());
    }

    void folderInPlaceIsAClearError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("verdicts.sqlite"));
        QVERIFY(QDir().mkpath(path + QStringLiteral("/inside")));
        auto store = VerdictStore::open(path);
        QVERIFY(!store.ok());
        QVERIFY2(store.error().message.contains(QDir::toNativeSeparators(path)), qPrintable(store.error().message));
        QVERIFY(store.error().message.contains(QLatin1String("folder")));
        QVERIFY(QFileInfo(path + QStringLiteral("/inside")).isDir());
        QVERIFY(movedAside(path).isEmpty());
    }

    void readOnlyStoreAnswersReadsAndRefusesWrites()
    {
        // Root reads and writes anything: the case runs again as nobody, set-up included.
        MT_RUN_UNPRIVILEGED();
#ifndef Q_OS_UNIX
        QSKIP("Read-only files and folders are set up with POSIX permissions here.");
#endif
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("store"));
        const QString path = folder + QStringLiteral("/verdicts.sqlite");
        {
            auto store = VerdictStore::open(path);
            QVERIFY(store.ok());
            QVERIFY((*store)->put({verdict(QStringLiteral("kept"))}).ok());
        }
        const auto all = QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther;
        const auto exec = QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
        QVERIFY(QFile::setPermissions(dir.path(), all | exec | QFile::WriteOwner)); // nobody may enter
        QVERIFY(QFile::setPermissions(path, all));                                   // 0444
        QVERIFY(QFile::setPermissions(folder, all | exec));                          // 0555
        checkReadOnlyStore(path);
        QFile::setPermissions(folder, all | exec | QFile::WriteOwner);
    }

    void fullDiskFailsTheWholeBatch()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("verdicts.sqlite"));
        auto store = VerdictStore::open(path);
        QVERIFY(store.ok());
        QVERIFY((*store)->put({verdict(QStringLiteral("before"))}).ok());
        QSqlDatabase db = connectionOf(path);
        QVERIFY(db.isOpen());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        const int pages = q.value(0).toInt();
        // No room for one more page: what SQLite reports when the disk itself is full.
        QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages)));

        const Status written = (*store)->put(manyVerdicts(300, QStringLiteral("batch")));
        QVERIFY(!written.ok());
        QVERIFY2(written.error().message.contains(QLatin1String("disk is full")), qPrintable(written.error().message));
        QCOMPARE((*store)->count(), 1); // all or nothing
        const auto before = (*store)->find(QStringLiteral("before"), QStringLiteral("m1"), QStringLiteral("p1"));
        QVERIFY(before.ok() && before->has_value());

        QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = 1073741823")));
        QVERIFY((*store)->put(manyVerdicts(300, QStringLiteral("batch"))).ok());
        QCOMPARE((*store)->count(), 301);
    }

    void lockedStoreIsAnErrorNotAMiss()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("verdicts.sqlite"));
        auto store = VerdictStore::open(path);
        QVERIFY(store.ok());
        QVERIFY((*store)->put({verdict(QStringLiteral("judged"))}).ok());
        {
            QSqlDatabase locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            locker.setDatabaseName(path);
            QVERIFY(locker.open());
            QSqlQuery q(locker);
            QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));

            const auto found = (*store)->find(QStringLiteral("judged"), QStringLiteral("m1"), QStringLiteral("p1"));
            QVERIFY(!found.ok());
            QVERIFY2(found.error().message.contains(QLatin1String("locked")), qPrintable(found.error().message));
            const auto missing = (*store)->find(QStringLiteral("never"), QStringLiteral("m1"), QStringLiteral("p1"));
            QVERIFY(!missing.ok());
            // Opening while locked is an error too, and a locked store is never taken for a damaged one.
            auto second = VerdictStore::open(path);
            QVERIFY(!second.ok());
            QVERIFY(second.error().message.contains(QLatin1String("locked")));
            QVERIFY(movedAside(path).isEmpty());

            QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
            locker.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        const auto found = (*store)->find(QStringLiteral("judged"), QStringLiteral("m1"), QStringLiteral("p1"));
        QVERIFY(found.ok() && found->has_value());
    }
};

QTEST_GUILESS_MAIN(TestVerdictStoreRecovery)
#include "tst_verdict_store_recovery.moc"
