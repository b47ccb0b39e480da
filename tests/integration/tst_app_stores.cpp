// The app's own stores under damage: the override store and the trash journal move a damaged file
// aside and start over with a notice, and a trash journal that cannot be written stops the move
// to the trash before any file moves.
#include "OverrideStore.h"
#include "TrashJournal.h"
#include "triage/ContentHash.h"

#include "DamagedFiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;
using namespace mt::test;
using namespace mt::app;

namespace {

TriageItemResult discard(const QString &path)
{
    TriageItemResult r;
    r.path = path;
    r.verdict = VerdictKind::Discard;
    r.reason = QStringLiteral("too dark");
    r.contentHash = *contentHash(path);
    return r;
}

int filesUnder(const QString &folder)
{
    int n = 0;
    for (QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories); it.hasNext(); it.next())
        ++n;
    return n;
}

} // namespace

class TestAppStores : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dataHome; // the trash of these tests: $XDG_DATA_HOME/Trash

    std::vector<TrashOutcome> moveAndWait(TrashJournal &journal, const std::vector<TriageItemResult> &items,
                                          const QHash<QString, QStringList> &companions = {})
    {
        QSignalSpy spy(&journal, &TrashJournal::moved);
        journal.moveToTrash(items, companions);
        if (!spy.wait(20000))
            return {};
        return spy.first().first().value<std::vector<TrashOutcome>>();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<std::vector<mt::TrashOutcome>>("std::vector<mt::TrashOutcome>");
        qRegisterMetaType<mt::app::UndoOutcome>("mt::app::UndoOutcome");
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dataHome.path()));
    }

    void damagedOverrideStoreIsReplacedWithANotice()
    {
        QTemporaryDir dir;
        const QString storePath = dir.filePath(QStringLiteral("verdicts.sqlite"));
        const QByteArray garbage = QByteArray("this is not SQLite\n").repeated(300);
        writeAll(storePath, garbage);
        const QString photo = dir.filePath(QStringLiteral("p.jpg"));
        writeAll(photo, "photo bytes");

        OverrideStore store(storePath);
        QSignalSpy notices(&store, &OverrideStore::notice);
        QSignalSpy saved(&store, &OverrideStore::saved);
        store.save(photo, QString(), false);
        QVERIFY(saved.wait(10000));
        QVERIFY(saved.first().at(2).toBool()); // the decision was kept, in the fresh store
        QTRY_COMPARE(notices.size(), 1);
        const QStringList moved = movedAside(storePath);
        QCOMPARE(moved.size(), 1);
        QCOMPARE(readAll(moved.first()), garbage);
        QVERIFY2(notices.first().first().toString().contains(QDir::toNativeSeparators(moved.first())),
                 qPrintable(notices.first().first().toString()));

        QSignalSpy found(&store, &OverrideStore::found);
        store.lookup({{photo, *contentHash(photo)}});
        QVERIFY(found.wait(10000));
        const auto keepByPath = found.first().first().value<QHash<QString, bool>>();
        QCOMPARE(keepByPath.value(photo, true), false);
        QCOMPARE(notices.size(), 1); // once
    }

    void damagedJournalIsMovedAside_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("random bytes") << QByteArray("\x89\x01\xff\xfe garbage \x00\x13", 16);
        QTest::newRow("truncated JSON") << QByteArray("[{\"time\":\"2026-01-01T00:00:00Z\",\"moves\":[{\"path\":\"/a");
        QTest::newRow("JSON but not a list") << QByteArray("{\"moves\":[]}");
        QTest::newRow("zero bytes") << QByteArray();
    }

    void damagedJournalIsMovedAside()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("data/trash-journal.json"));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("data"))));
        writeAll(journalPath, content);
        const QString photo = dir.filePath(QStringLiteral("dark.jpg"));
        writeAll(photo, "dark photo bytes");

        TrashJournal journal(journalPath);
        const QStringList moved = movedAside(journalPath);
        QCOMPARE(moved.size(), 1);
        QCOMPARE(readAll(moved.first()), content);
        QVERIFY(journal.recoveryNotice());
        QVERIFY2(journal.recoveryNotice()->contains(QDir::toNativeSeparators(moved.first())), qPrintable(*journal.recoveryNotice()));
        QVERIFY(!journal.canUndo());

        // The fresh journal works: move, then undo.
        const auto outcomes = moveAndWait(journal, {discard(photo)});
        QCOMPARE(outcomes.size(), size_t(1));
        QVERIFY2(outcomes.front().moved, qPrintable(outcomes.front().error));
        QVERIFY(!QFileInfo::exists(photo));
        QVERIFY(journal.canUndo());
        QSignalSpy undone(&journal, &TrashJournal::undone);
        journal.undoLast();
        QVERIFY(undone.wait(20000));
        QCOMPARE(readAll(photo), QByteArray("dark photo bytes"));
        QCOMPARE(movedAside(journalPath).size(), 1);
    }

    void unwritableJournalStopsTheMoveBeforeAnyFileMoves()
    {
        QTemporaryDir dir;
        // A file where the journal's folder should be: no one, not even root, can write the journal.
        writeAll(dir.filePath(QStringLiteral("blocker")), "a file, not a folder");
        const QString journalPath = dir.filePath(QStringLiteral("blocker/trash-journal.json"));
        QStringList photos;
        std::vector<TriageItemResult> items;
        for (int i = 0; i < 3; ++i) {
            photos << dir.filePath(QStringLiteral("p%1.jpg").arg(i));
            writeAll(photos.last(), QByteArray("photo ") + QByteArray::number(i));
            items.push_back(discard(photos.last()));
        }
        const int trashedBefore = filesUnder(m_dataHome.path());

        TrashJournal journal(journalPath);
        const auto outcomes = moveAndWait(journal, items);
        QCOMPARE(outcomes.size(), items.size());
        for (const TrashOutcome &o : outcomes) {
            QVERIFY(!o.moved);
            QVERIFY2(o.error.contains(QLatin1String("trash journal")) && o.error.contains(QDir::toNativeSeparators(journalPath)),
                     qPrintable(o.error));
        }
        for (const QString &photo : photos)
            QVERIFY(QFileInfo::exists(photo));
        QCOMPARE(filesUnder(m_dataHome.path()), trashedBefore);
        QVERIFY(!journal.canUndo());
    }

    void journalRecordsOnlyWhatMoved()
    {
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("trash-journal.json"));
        const QString moves = dir.filePath(QStringLiteral("moves.jpg"));
        const QString changed = dir.filePath(QStringLiteral("changed.jpg"));
        writeAll(moves, "moves");
        writeAll(changed, "before");
        const TriageItemResult changedItem = discard(changed);
        writeAll(changed, "after: changed since it was judged");

        TrashJournal journal(journalPath);
        const auto outcomes = moveAndWait(journal, {discard(moves), changedItem});
        QCOMPARE(outcomes.size(), size_t(2));
        QVERIFY(outcomes[0].moved);
        QVERIFY(!outcomes[1].moved);
        const QByteArray recorded = readAll(journalPath);
        QVERIFY(recorded.contains("moves.jpg"));
        QVERIFY(!recorded.contains("changed.jpg")); // the planned entry was replaced by what happened
        QVERIFY(!journal.recoveryNotice());
    }

    // A RAW+JPEG pair leaves together and comes back as one item; a RAW whose JPEG stays
    // (refused: it changed) stays too.
    void rawCompanionsMoveAndReturnWithTheirJpeg()
    {
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("trash-journal.json"));
        const QString jpeg = dir.filePath(QStringLiteral("IMG_1.JPG")), raw = dir.filePath(QStringLiteral("IMG_1.CR2"));
        const QString keptJpeg = dir.filePath(QStringLiteral("IMG_2.JPG")), keptRaw = dir.filePath(QStringLiteral("IMG_2.CR2"));
        writeAll(jpeg, QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 one", 15));
        writeAll(raw, QByteArray("II*\x00\x10\x00\x00\x00CR\x02\x00 raw one", 20));
        writeAll(keptJpeg, QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 two", 15));
        writeAll(keptRaw, QByteArray("II*\x00\x10\x00\x00\x00CR\x02\x00 raw two", 20));
        const TriageItemResult changedItem = discard(keptJpeg);
        writeAll(keptJpeg, "changed since it was judged");

        TrashJournal journal(journalPath);
        const auto outcomes = moveAndWait(journal, {discard(jpeg), changedItem}, {{jpeg, {raw}}, {keptJpeg, {keptRaw}}});
        QCOMPARE(outcomes.size(), size_t(3));
        QVERIFY(outcomes[0].moved);
        QCOMPARE(outcomes[1].path, raw);
        QVERIFY(outcomes[1].moved);
        QVERIFY(!outcomes[2].moved);
        QVERIFY(!QFile::exists(jpeg) && !QFile::exists(raw));
        QVERIFY(QFile::exists(keptJpeg) && QFile::exists(keptRaw));

        QSignalSpy undone(&journal, &TrashJournal::undone);
        journal.undoLast();
        QVERIFY(undone.wait(20000));
        const auto outcome = undone.first().first().value<UndoOutcome>();
        QCOMPARE(outcome.restored.size(), 2);
        QVERIFY(QFile::exists(jpeg) && QFile::exists(raw));
        QCOMPARE(outcome.items.size(), size_t(1));
        QCOMPARE(outcome.items[0].path, jpeg);
        QCOMPARE(outcome.items[0].companions, QStringList{raw});
    }
};

QTEST_MAIN(TestAppStores)
#include "tst_app_stores.moc"
