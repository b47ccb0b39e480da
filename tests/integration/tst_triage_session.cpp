// The triage session as every front uses it: engine choice, and the faults where money or
// verdicts could be lost silently — a store that cannot be written, cannot be read, or is damaged.
#include "FakeGeminiServer.h"
#include "TriageTestSupport.h"
#include "media/FolderScanner.h"
#include "triage/TriageSession.h"
#include "triage/VerdictStore.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;

class TestTriageSession : public QObject
{
    Q_OBJECT

    std::unique_ptr<fakes::FakeGeminiServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;

    QString folder() const { return m_dir->filePath(QStringLiteral("media")); }
    QString storePath() const { return m_dir->filePath(QStringLiteral("verdicts.sqlite")); }

    SessionOptions options(EngineChoice engine, bool withKey = true) const
    {
        SessionOptions o;
        o.engine = engine;
        o.gemini.baseUrl = m_server->baseUrl();
        o.gemini.apiKey = withKey ? m_server->options().apiKey : QString();
        o.gemini.model = QStringLiteral("gemini-test-flash");
        o.gemini.retry.initialDelay = std::chrono::milliseconds(5);
        o.gemini.retry.maxJitter = std::chrono::milliseconds(5);
        o.storePath = storePath();
        return o;
    }

    std::vector<MediaItem> makePhotos(int n)
    {
        QDir().mkpath(folder());
        for (int i = 1; i <= n; ++i)
            if (!testing::writePhoto(QDir(folder()).filePath(QStringLiteral("p%1.jpg").arg(i)), i))
                return {};
        return FolderScanner().scanFolder(folder());
    }

    static int errorsIn(const TriageRun &run)
    {
        return int(std::count_if(run.items.begin(), run.items.end(), [](const TriageItemResult &r) { return r.error.has_value(); }));
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_server = std::make_unique<fakes::FakeGeminiServer>();
        QVERIFY(m_server->start());
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void engineChoice_data()
    {
        QTest::addColumn<int>("engine");
        QTest::addColumn<bool>("withKey");
        QTest::addColumn<bool>("localFirst");
        QTest::addColumn<QString>("ranAs");
        QTest::addColumn<bool>("setupFailed");
        QTest::newRow("automatic without a key judges offline") << int(EngineChoice::Automatic) << false << false << "local" << false;
        QTest::newRow("automatic with a key asks Gemini") << int(EngineChoice::Automatic) << true << false << "gemini" << false;
        QTest::newRow("local never needs a key") << int(EngineChoice::Local) << true << false << "local" << false;
        QTest::newRow("gemini without a key is a setup error") << int(EngineChoice::Gemini) << false << false << "gemini" << true;
        QTest::newRow("local first") << int(EngineChoice::Gemini) << true << true << "local-first" << false;
    }
    void engineChoice()
    {
        QFETCH(int, engine);
        QFETCH(bool, withKey);
        QFETCH(bool, localFirst);
        QFETCH(QString, ranAs);
        QFETCH(bool, setupFailed);
        const auto items = makePhotos(3);
        QCOMPARE(items.size(), size_t(3));
        SessionOptions o = options(EngineChoice(engine), withKey);
        o.localFirst = localFirst;
        const TriageRun run = TriageSession(o).run(items);
        QCOMPARE(run.engine, ranAs);
        QCOMPARE(run.setupFailed, setupFailed);
        QCOMPARE(run.items.size(), items.size());
        if (setupFailed) {
            QVERIFY(run.stopped);
            QVERIFY2(run.stopped->message.contains(QLatin1String("GEMINI_API_KEY")), qPrintable(run.stopped->message));
            QCOMPARE(m_server->stats().generateCalls, 0);
        } else {
            QCOMPARE(errorsIn(run), 0);
        }
    }

    void aWrongModelStopsBeforeSpending()
    {
        const auto items = makePhotos(2);
        SessionOptions o = options(EngineChoice::Gemini);
        o.gemini.model = QStringLiteral("no-such-model");
        const TriageRun run = TriageSession(o).run(items);
        QVERIFY(run.setupFailed);
        QCOMPARE(m_server->stats().generateCalls, 0);
        QCOMPARE(errorsIn(run), 2);
    }

    // Another process holds the write lock past the busy timeout: Gemini answered and was paid,
    // so each item says its verdict was not saved, and the run counts them.
    void verdictsThatCannotBeSavedAreErrorsAndCounted()
    {
        const auto items = makePhotos(3);
        SessionOptions o = options(EngineChoice::Gemini);
        {
            auto created = VerdictStore::open(storePath()); // the schema exists before the lock
            QVERIFY(created.ok());
        }
        QSqlDatabase lock = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        lock.setDatabaseName(storePath());
        QVERIFY(lock.open());
        QVERIFY(QSqlQuery(lock).exec(QStringLiteral("BEGIN IMMEDIATE")));
        const TriageRun run = TriageSession(o).run(items);
        QSqlQuery(lock).exec(QStringLiteral("ROLLBACK"));
        lock.close();
        lock = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));

        QCOMPARE(run.unsavedVerdicts, 3);
        QCOMPARE(errorsIn(run), 3);
        for (const TriageItemResult &r : run.items)
            QVERIFY2(r.errorMessage().contains(QLatin1String("could not be saved")), qPrintable(r.errorMessage()));
        QVERIFY(m_server->stats().answeredCalls > 0);
    }

    // A store that answers with an error is not "not found": nothing is sent (and paid) again.
    void aStoreThatCannotBeReadIsAnErrorNotAMiss()
    {
        const auto items = makePhotos(2);
        SessionOptions o = options(EngineChoice::Gemini);
        // Once the session has opened its store, the table vanishes behind its back (another
        // tool, a broken migration): every look-up fails.
        bool dropped = false;
        o.triage.progress = [&](const TriageProgress &p) {
            if (dropped || p.stage != TriageProgress::Stage::Reading)
                return;
            dropped = true;
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
            other.setDatabaseName(storePath());
            QVERIFY(other.open());
            QVERIFY(QSqlQuery(other).exec(QStringLiteral("ALTER TABLE verdicts RENAME TO gone")));
            other.close();
            other = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("other"));
        };
        const TriageRun run = TriageSession(o).run(items);
        QVERIFY(dropped);
        QCOMPARE(m_server->stats().generateCalls, 0);
        QCOMPARE(errorsIn(run), 2);
        for (const TriageItemResult &r : run.items)
            QVERIFY2(r.errorMessage().contains(QLatin1String("verdict store")), qPrintable(r.errorMessage()));
    }

    // Random bytes where the store should be: moved aside, a fresh store, the person told once,
    // and the run goes on.
    void aCorruptStoreIsMovedAsideAndTheRunGoesOn()
    {
        const auto items = makePhotos(2);
        QFile junk(storePath());
        QVERIFY(junk.open(QIODevice::WriteOnly));
        QByteArray bytes(8192, '\0');
        for (int i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 7919) % 251);
        junk.write(bytes);
        junk.close();
        const TriageRun run = TriageSession(options(EngineChoice::Gemini)).run(items);
        QCOMPARE(errorsIn(run), 0);
        QCOMPARE(run.notices.size(), 1);
        const QStringList aside = QDir(m_dir->path()).entryList({QStringLiteral("verdicts.sqlite.corrupt-*")});
        QCOMPARE(aside.size(), 1);
        QVERIFY2(run.notices.first().contains(aside.first()), qPrintable(run.notices.first()));
        QFile moved(m_dir->filePath(aside.first()));
        QVERIFY(moved.open(QIODevice::ReadOnly));
        QCOMPARE(moved.readAll(), bytes);
        // The fresh store kept the new verdicts: a second run pays nothing.
        const int calls = m_server->stats().answeredCalls;
        const TriageRun again = TriageSession(options(EngineChoice::Gemini)).run(items);
        QCOMPARE(m_server->stats().answeredCalls, calls);
        QVERIFY(again.notices.isEmpty());
        for (const TriageItemResult &r : again.items)
            QCOMPARE(r.source, VerdictSource::Cache);
    }
};

QTEST_GUILESS_MAIN(TestTriageSession)
#include "tst_triage_session.moc"
