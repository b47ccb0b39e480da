// mediatriage-cli analyze: the JSON contract, groups, per-item errors, exit codes.
#include "CliRun.h"
#include "QualityScenes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;

class QualityCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QJsonObject byName(const QJsonArray &items, const QString &name)
    {
        for (const QJsonValue &v : items)
            if (v[QLatin1String("path")].toString().endsWith(QLatin1Char('/') + name))
                return v.toObject();
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QImage scene = test::texturedScene(1200, 900, 77);
        QVERIFY(test::withNoise(scene, 1.5, 1).save(m_dir.filePath(QStringLiteral("sharp.jpg")), "JPEG", 90));
        QVERIFY(test::withNoise(scene.copy(6, 4, 1180, 885), 1.5, 2).save(m_dir.filePath(QStringLiteral("sharp-again.jpg")), "JPEG", 90));
        QVERIFY(test::blackFrame(1200, 900, 3).save(m_dir.filePath(QStringLiteral("black.jpg")), "JPEG", 90));
        QVERIFY(test::defocus(test::texturedScene(1200, 900, 78), 0.03).save(m_dir.filePath(QStringLiteral("blurry.jpg")), "JPEG", 90));
        QFile broken(m_dir.filePath(QStringLiteral("broken.jpg")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(QByteArray::fromHex("ffd8ffe000104a464946") + QByteArray(200, '\x11'));
    }

    void jsonContract()
    {
        const test::CliRun run = test::runCli({QStringLiteral("analyze"), QStringLiteral("--json"), m_dir.path()});
        QCOMPARE(run.exitCode, 1); // one broken file: reported, the rest judged
        const QJsonArray items = QJsonDocument::fromJson(run.out).array();
        QCOMPARE(items.size(), 5);
        for (const QJsonValue &v : items)
            for (const char *key : {"path", "verdict", "reason", "confidence", "signals", "duplicate_group", "best_in_group"})
                QVERIFY2(v.toObject().contains(QLatin1String(key)), key);

        const QJsonObject black = byName(items, QStringLiteral("black.jpg"));
        QCOMPARE(black[QLatin1String("verdict")].toString(), QStringLiteral("discard"));
        QVERIFY(black[QLatin1String("reason")].toString().contains(QLatin1String("nearly black")));
        QVERIFY(black[QLatin1String("signals")][QLatin1String("near_black")].toDouble() > 0.9);

        const QJsonObject blurry = byName(items, QStringLiteral("blurry.jpg"));
        QCOMPARE(blurry[QLatin1String("verdict")].toString(), QStringLiteral("discard"));

        const QJsonObject sharp = byName(items, QStringLiteral("sharp.jpg"));
        const QJsonObject again = byName(items, QStringLiteral("sharp-again.jpg"));
        QCOMPARE(sharp[QLatin1String("verdict")].toString(), QStringLiteral("keep"));
        QCOMPARE(again[QLatin1String("verdict")].toString(), QStringLiteral("keep")); // similar is not a discard
        QVERIFY(sharp[QLatin1String("duplicate_group")].isDouble());
        QCOMPARE(again[QLatin1String("duplicate_group")], sharp[QLatin1String("duplicate_group")]);
        QVERIFY(sharp[QLatin1String("best_in_group")].toBool() != again[QLatin1String("best_in_group")].toBool());
        QVERIFY(black[QLatin1String("duplicate_group")].isNull());

        const QJsonObject broken = byName(items, QStringLiteral("broken.jpg"));
        QCOMPARE(broken[QLatin1String("verdict")].toString(), QStringLiteral("error"));
        QVERIFY(!broken[QLatin1String("error")].toString().isEmpty());
    }

    void textOutputAndUsageErrors()
    {
        const test::CliRun run = test::runCli({QStringLiteral("analyze"), m_dir.filePath(QStringLiteral("black.jpg"))});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("DISCARD") && run.out.contains("nearly black"), run.out.constData());
        QCOMPARE(test::runCli({QStringLiteral("analyze"), QStringLiteral("--keeper"), QStringLiteral("prettiest"), m_dir.path()}).exitCode, 2);
        QCOMPARE(test::runCli({QStringLiteral("analyze")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(QualityCliTest)
#include "tst_quality_cli.moc"
