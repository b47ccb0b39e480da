// The verdict store: survives reopening, keys on content + model + prompt version.
#include "triage/ContentHash.h"
#include "triage/VerdictStore.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;

class TestVerdictStore : public QObject
{
    Q_OBJECT

    static StoredVerdict verdict(const QString &hash, const QString &model = QStringLiteral("m1"),
                                 const QString &prompt = QStringLiteral("p1"), bool keep = true)
    {
        return StoredVerdict{hash, model, prompt, keep, QStringLiteral("reason for ") + hash,
                             model + QStringLiteral("-001"), QStringLiteral("file.jpg"), QDateTime::currentDateTimeUtc()};
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void defaultPathIsUnderAppData()
    {
        QVERIFY(VerdictStore::defaultPath().startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    }

    void roundTripAcrossReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/verdicts.sqlite"));
        {
            auto store = VerdictStore::open(path);
            QVERIFY(store.ok());
            QVERIFY((*store)->put({verdict(QStringLiteral("aaa")), verdict(QStringLiteral("bbb"), QStringLiteral("m1"), QStringLiteral("p1"), false)}).ok());
        }
        auto store = VerdictStore::open(path);
        QVERIFY(store.ok());
        QCOMPARE((*store)->count(), 2);
        const auto found = (*store)->find(QStringLiteral("bbb"), QStringLiteral("m1"), QStringLiteral("p1"));
        QVERIFY(found.ok());
        const std::optional<StoredVerdict> &b = *found;
        QVERIFY(b);
        QVERIFY(!b->keep);
        QCOMPARE(b->reason, QStringLiteral("reason for bbb"));
        QCOMPARE(b->modelVersion, QStringLiteral("m1-001"));
    }

    void otherModelOrPromptAsksAgain()
    {
        QTemporaryDir dir;
        auto store = VerdictStore::open(dir.filePath(QStringLiteral("v.sqlite")));
        QVERIFY(store.ok());
        QVERIFY((*store)->put({verdict(QStringLiteral("aaa"))}).ok());
        QVERIFY((*store)->find(QStringLiteral("aaa"), QStringLiteral("m1"), QStringLiteral("p1")).value());
        QVERIFY(!(*store)->find(QStringLiteral("aaa"), QStringLiteral("m2"), QStringLiteral("p1")).value());
        QVERIFY(!(*store)->find(QStringLiteral("aaa"), QStringLiteral("m1"), QStringLiteral("p2")).value());
        // A newer verdict for the same key replaces the old one.
        QVERIFY((*store)->put({verdict(QStringLiteral("aaa"), QStringLiteral("m1"), QStringLiteral("p1"), false)}).ok());
        QCOMPARE((*store)->count(), 1);
        const auto replaced = (*store)->find(QStringLiteral("aaa"), QStringLiteral("m1"), QStringLiteral("p1"));
        QVERIFY(replaced.ok() && *replaced);
        QVERIFY(!(*replaced)->keep);
    }

    void twoStoresOnOneFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v.sqlite"));
        auto a = VerdictStore::open(path);
        auto b = VerdictStore::open(path);
        QVERIFY(a.ok() && b.ok());
        QVERIFY((*a)->put({verdict(QStringLiteral("x"))}).ok());
        const auto seen = (*b)->find(QStringLiteral("x"), QStringLiteral("m1"), QStringLiteral("p1"));
        QVERIFY(seen.ok() && *seen);
    }

    void unwritableLocationIsAClearError()
    {
        auto store = VerdictStore::open(QStringLiteral("/proc/nope/verdicts.sqlite"));
        QVERIFY(!store.ok());
        QVERIFY(store.error().message.contains(QLatin1String("verdict store")));
    }

    void contentHashFollowsBytesNotNames()
    {
        QTemporaryDir dir;
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        write(QStringLiteral("a"), "same bytes");
        write(QStringLiteral("b"), "same bytes");
        write(QStringLiteral("c"), "other bytes");
        QCOMPARE(*contentHash(dir.filePath(QStringLiteral("a"))), *contentHash(dir.filePath(QStringLiteral("b"))));
        QVERIFY(*contentHash(dir.filePath(QStringLiteral("a"))) != *contentHash(dir.filePath(QStringLiteral("c"))));
        QVERIFY(!contentHash(dir.filePath(QStringLiteral("missing"))).ok());
    }
};

QTEST_GUILESS_MAIN(TestVerdictStore)
#include "tst_verdict_store.moc"
