// `mediatriage-cli thumb` as a script would use it: JSON shape, --out naming, the shared cache
// across runs, exit codes.
#include "tst_thumb_support.h"
#include "CliRun.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace thumbtest;

namespace {

using Run = mt::test::CliRun;

Run cli(const QStringList &args, const QString &cacheHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CACHE_HOME"), cacheHome);
    return mt::test::runCli(args, env);
}

QJsonArray parse(const Run &r)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &err);
    if (err.error != QJsonParseError::NoError)
        qWarning() << "bad JSON:" << err.errorString() << r.out.left(500);
    return doc.array();
}

QJsonObject byName(const QJsonArray &items, const QString &fileName)
{
    for (const auto &v : items)
        if (QFileInfo(v.toObject()["path"].toString()).fileName() == fileName)
            return v.toObject();
    return {};
}

} // namespace

class TestThumbCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void outFolderWithGoodAndBadFiles()
    {
        const QString out = m_dir.filePath("out");
        const Run r = cli({"thumb", "--json", "--size", "128", "--out", out, fixture("orient-6.jpg"), fixture("live.mov"),
                           shared("pillow_heif__arrow.heic"), fixture("zero.jpg"), shared("jcodec__keyed.mp4")},
                          m_dir.filePath("xdg"));
        QCOMPARE(r.exitCode, 1); // some items failed
        const QJsonArray items = parse(r);
        QCOMPARE(items.size(), 5);
        for (const auto &v : items)
            for (const char *field : {"path", "thumbnail", "width", "height", "cached", "error"})
                QVERIFY2(v.toObject().contains(QLatin1String(field)), field);

        const QJsonObject jpeg = byName(items, "orient-6.jpg");
        QCOMPARE(jpeg["thumbnail"].toString(), out + "/orient-6.jpg.png");
        QCOMPARE(jpeg["width"].toInt(), 128);
        QCOMPARE(jpeg["height"].toInt(), 96);
        QCOMPARE(jpeg["cached"].toBool(), false);
        QVERIFY(jpeg["error"].isNull());
        const QImage written(out + "/orient-6.jpg.png");
        QCOMPARE(written.size(), QSize(128, 96));
        QVERIFY2(quadMismatch(written, 40).isEmpty(), qPrintable(quadMismatch(written, 40)));

        QCOMPARE(byName(items, "live.mov")["width"].toInt(), 128);
        QCOMPARE(byName(items, "pillow_heif__arrow.heic")["height"].toInt(), 128);

        const QJsonObject empty = byName(items, "zero.jpg");
        QVERIFY(empty["thumbnail"].isNull());
        QVERIFY(empty["width"].isNull());
        QVERIFY(empty["error"].toString().contains("empty"));
        QVERIFY(byName(items, "jcodec__keyed.mp4")["error"].toString().contains("no decodable frames"));
        QVERIFY(!QFileInfo::exists(out + "/zero.jpg.png"));
        // --out never touches the shared cache.
        QVERIFY(!QFileInfo::exists(m_dir.filePath("xdg/thumbnails")));
    }

    void sameNameFromTwoFoldersIsNotOverwritten()
    {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("a")) && QDir().mkpath(dir.filePath("b")));
        QVERIFY(QFile::copy(fixture("orient-1.jpg"), dir.filePath("a/IMG.jpg")));
        QVERIFY(QFile::copy(fixture("orient-3.jpg"), dir.filePath("b/IMG.jpg")));
        const QString out = dir.filePath("out");
        const Run r = cli({"thumb", "--json", "--out", out, dir.filePath("a/IMG.jpg"), dir.filePath("b/IMG.jpg")},
                          dir.filePath("xdg"));
        QCOMPARE(r.exitCode, 0);
        const QJsonArray items = parse(r);
        QCOMPARE(items[0].toObject()["thumbnail"].toString(), out + "/IMG.jpg.png");
        QCOMPARE(items[1].toObject()["thumbnail"].toString(), out + "/IMG.jpg (2).png");
    }

    // Without --out: the freedesktop cache under $XDG_CACHE_HOME, reused on the next run.
    void sharedCacheAcrossRuns()
    {
        QTemporaryDir dir;
        const QString cacheHome = dir.filePath("xdg");
        const QStringList args{"thumb", "--json", fixture("orient-8.jpg"), fixture("rotated-cw90.mp4"), fixture("text.heic")};
        const Run first = cli(args, cacheHome);
        QCOMPARE(first.exitCode, 1);
        const QJsonArray a = parse(first);
        QCOMPARE(a.size(), 3);
        const QJsonObject jpeg = byName(a, "orient-8.jpg");
        QVERIFY(jpeg["thumbnail"].toString().startsWith(cacheHome + "/thumbnails/large/"));
        QVERIFY(jpeg["thumbnail"].toString().endsWith(".png"));
        QCOMPARE(jpeg["cached"].toBool(), false);
        QVERIFY(QFileInfo::exists(jpeg["thumbnail"].toString()));
        QCOMPARE(QDir(cacheHome + "/thumbnails/fail").entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);

        const Run second = cli(args, cacheHome);
        QCOMPARE(second.exitCode, 1);
        const QJsonArray b = parse(second);
        QCOMPARE(byName(b, "orient-8.jpg")["cached"].toBool(), true);
        QCOMPARE(byName(b, "orient-8.jpg")["thumbnail"], jpeg["thumbnail"]);
        QCOMPARE(byName(b, "orient-8.jpg")["width"].toInt(), 256);
        QCOMPARE(byName(b, "rotated-cw90.mp4")["cached"].toBool(), true);
        QCOMPARE(byName(b, "text.heic")["error"], byName(a, "text.heic")["error"]);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("non-standard size without --out") << QStringList{"thumb", "--size", "300", fixture("quad.png")};
        QTest::newRow("size not a number") << QStringList{"thumb", "--size", "big", fixture("quad.png")};
        QTest::newRow("no paths") << QStringList{"thumb"};
        QTest::newRow("bad timeout") << QStringList{"thumb", "--timeout", "0", fixture("quad.png")};
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        const Run r = cli(args, m_dir.filePath("xdg-usage"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty());
    }

    void plainTextOutput()
    {
        const Run r = cli({"thumb", "--size", "64", "--out", m_dir.filePath("plain"), fixture("quad.webp")}, m_dir.filePath("xdg"));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("quad.webp.png (64×48)"), r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestThumbCli)
#include "tst_thumb_cli.moc"
