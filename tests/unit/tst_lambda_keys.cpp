// S3 keys are untrusted input: how they map to local names and to our own artifacts.
#include "lambda/ObjectKeys.h"
#include "lambda/WorkDir.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using mt::lambda::ObjectKeys;

class TestLambdaKeys : public QObject {
    Q_OBJECT
private slots:
    void localNames_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("plain") << QStringLiteral("trip/IMG_0001.jpg") << true;
        QTest::newRow("spaces and parens") << QStringLiteral("inbox/Summer 2026/IMG_0042 (1).JPG") << true;
        QTest::newRow("unicode") << QStringLiteral("férias/写真 🌅.heic") << true;
        QTest::newRow("dots inside names") << QStringLiteral("a/..b/c..jpg") << true;
        QTest::newRow("dot-dot first") << QStringLiteral("../x") << false;
        QTest::newRow("dot-dot deep") << QStringLiteral("a/../../b") << false;
        QTest::newRow("dot-dot last") << QStringLiteral("a/..") << false;
        QTest::newRow("dot segment") << QStringLiteral("a/./b.jpg") << false;
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << false;
        QTest::newRow("backslash absolute") << QStringLiteral("\\windows\\x.jpg") << false;
        QTest::newRow("empty segment") << QStringLiteral("a//b.jpg") << false;
        QTest::newRow("newline") << QStringLiteral("a\nb.jpg") << false;
        QTest::newRow("nul") << QString(QStringLiteral("a") + QChar(0) + QStringLiteral("b.jpg")) << false;
        QTest::newRow("escape") << QStringLiteral("a\x1b[31mb.jpg") << false;
        QTest::newRow("del") << QStringLiteral("a\x7f.jpg") << false;
        QTest::newRow("c1 control") << QString(QStringLiteral("a") + QChar(0x85) + QStringLiteral(".jpg")) << false;
        QTest::newRow("1024-byte key") << (QString(1020, u'a') + QStringLiteral(".jpg")) << false;
        QTest::newRow("1025-byte key") << (QString(1021, u'a') + QStringLiteral(".jpg")) << false;
        QTest::newRow("256-byte name") << (QStringLiteral("d/") + QString(252, u'n') + QStringLiteral(".jpg")) << false;
        QTest::newRow("255-byte name") << (QStringLiteral("d/") + QString(251, u'n') + QStringLiteral(".jpg")) << true;
        QTest::newRow("empty") << QString() << false;
    }
    void localNames()
    {
        QFETCH(QString, key);
        QFETCH(bool, accepted);
        const auto rel = ObjectKeys::localRelativePath(key);
        QCOMPARE(rel.ok(), accepted);
        if (!accepted) {
            QVERIFY(!rel.error().message.isEmpty());
            return;
        }
        // Whatever is accepted stays inside the work folder once joined and cleaned.
        QTemporaryDir dir;
        const QString joined = QDir::cleanPath(QDir(dir.path()).filePath(*rel));
        QVERIFY2(joined.startsWith(dir.path() + u'/'), qPrintable(joined));
    }

    void artifacts_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<bool>("artifact");
        QTest::newRow("results under P_triage") << QStringLiteral("trip/_triage/results.json") << QStringLiteral("trip/") << true;
        QTest::newRow("prefix without slash") << QStringLiteral("trip_triage/thumbs/a.jpg.jpg") << QStringLiteral("trip") << true;
        QTest::newRow("prepared deep") << QStringLiteral("trip/day1/_triage/prepared/a.mov/video.webm") << QStringLiteral("trip/") << true;
        QTest::newRow("another prefix's output") << QStringLiteral("x/old_triage/results.json") << QString() << true;
        QTest::newRow("media") << QStringLiteral("trip/IMG_0001.jpg") << QStringLiteral("trip/") << false;
        QTest::newRow("file named _triage") << QStringLiteral("trip/_triage") << QStringLiteral("trip/") << false;
        QTest::newRow("file mentioning triage") << QStringLiteral("trip/my_triage.jpg") << QStringLiteral("trip/") << false;
    }
    void artifacts()
    {
        QFETCH(QString, key);
        QFETCH(QString, prefix);
        QFETCH(bool, artifact);
        QCOMPARE(ObjectKeys::isTriageArtifact(key, prefix), artifact);
    }

    void layout()
    {
        QCOMPARE(ObjectKeys::resultsKey(QStringLiteral("trip/")), QStringLiteral("trip/_triage/results.json"));
        QCOMPARE(ObjectKeys::resultsKey(QString()), QStringLiteral("_triage/results.json"));
        QCOMPARE(ObjectKeys::thumbnailKey(QStringLiteral("trip/"), QStringLiteral("trip/day 1/a.heic")),
                 QStringLiteral("trip/_triage/thumbs/day 1/a.heic.jpg"));
        QCOMPARE(ObjectKeys::preparedFolder(QStringLiteral("trip/day1/clip.mov")),
                 QStringLiteral("trip/day1/_triage/prepared/clip.mov/"));
        QCOMPARE(ObjectKeys::preparedFolder(QStringLiteral("clip.mov")), QStringLiteral("_triage/prepared/clip.mov/"));
        // Our own layout is recognised as ours, so notifications about it are ignored.
        QVERIFY(ObjectKeys::isTriageArtifact(ObjectKeys::preparedFolder(QStringLiteral("a/b.mov")) + QStringLiteral("thumb.jpg")));
        QVERIFY(ObjectKeys::isTriageArtifact(ObjectKeys::thumbnailKey(QStringLiteral("a/"), QStringLiteral("a/b.jpg")), QStringLiteral("a/")));
    }

    void workDirIsRemoved()
    {
        QTemporaryDir tmp;
        qputenv("TMPDIR", tmp.path().toUtf8());
        QString path;
        {
            mt::lambda::WorkDir work("../../evil/request id");
            QVERIFY(work.ok());
            path = work.path();
            QCOMPARE(QFileInfo(path).absolutePath(), QDir(tmp.path()).absolutePath()); // the id cannot climb out
            QFile f(work.fileFor(QStringLiteral("media/a/b/c.jpg")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("x");
        }
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(QDir(tmp.path()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden));
        qunsetenv("TMPDIR");
    }

    void staleWorkDirsAreRemoved()
    {
        QTemporaryDir tmp;
        qputenv("TMPDIR", tmp.path().toUtf8());
        // A work folder whose invocation was killed before its cleanup (at init nothing is in use,
        // so a live one stands in for it), and a folder that is not ours.
        auto leaked = std::make_unique<mt::lambda::WorkDir>("killed-request");
        QFile(leaked->fileFor(QStringLiteral("media/a.jpg"))).open(QIODevice::WriteOnly);
        const QString leakedPath = leaked->path();
        QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("not-ours/keep"))));
        QCOMPARE(mt::lambda::WorkDir::removeStale(), 1);
        QVERIFY(!QFileInfo::exists(leakedPath));
        QVERIFY(QFileInfo::exists(tmp.filePath(QStringLiteral("not-ours/keep"))));
        qunsetenv("TMPDIR");
    }
};

QTEST_GUILESS_MAIN(TestLambdaKeys)
#include "tst_lambda_keys.moc"
