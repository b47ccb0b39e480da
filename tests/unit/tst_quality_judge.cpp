// The offline engine's verdicts: generous with what editing can rescue, firm with what it cannot.
#include "QualityScenes.h"

#include "media/MediaType.h"
#include "quality/OfflineJudge.h"
#include "quality/SignalExtractor.h"
#include "thumbs/ThumbnailGenerator.h"

#include <QDir>
#include <QTest>

#include <functional>

using namespace mt;
using namespace mt::quality;

Q_DECLARE_METATYPE(std::function<QImage()>)

namespace {

QImage scene(quint32 seed) { return test::withNoise(test::texturedScene(960, 720, seed), 1.5, seed); }

} // namespace

class QualityJudgeTest : public QObject {
    Q_OBJECT

private slots:
    void verdicts_data()
    {
        QTest::addColumn<std::function<QImage()>>("make");
        QTest::addColumn<bool>("discard");
        QTest::addColumn<QString>("rule"); // expected rule for discards

        for (quint32 seed : {21u, 22u, 23u}) {
            const QByteArray s = QByteArray::number(seed);
            QTest::newRow("sharp " + s) << std::function<QImage()>([=] { return scene(seed); }) << false << QString();
            QTest::newRow("slightly soft " + s)
                << std::function<QImage()>([=] { return test::defocus(scene(seed), 0.003); }) << false << QString();
            QTest::newRow("-1.5 EV " + s)
                << std::function<QImage()>([=] { return test::exposure(scene(seed), -1.5); }) << false << QString();
            QTest::newRow("low-key " + s)
                << std::function<QImage()>([=] { return test::lowKey(scene(seed)); }) << false << QString();
            QTest::newRow("high-key " + s)
                << std::function<QImage()>([=] { return test::highKey(scene(seed)); }) << false << QString();
            QTest::newRow("portrait mode " + s)
                << std::function<QImage()>([=] { return test::portraitMode(scene(seed), 0.03); }) << false << QString();
            QTest::newRow("strong defocus " + s)
                << std::function<QImage()>([=] { return test::defocus(scene(seed), 0.015); }) << true << QStringLiteral("blurry");
            QTest::newRow("motion blur " + s)
                << std::function<QImage()>([=] { return test::motionBlur(scene(seed), 0.04); }) << true
                << QStringLiteral("motion_blur");
            QTest::newRow("-5 EV " + s)
                << std::function<QImage()>([=] { return test::exposure(scene(seed), -5); }) << true << QString();
            QTest::newRow("+4 EV " + s)
                << std::function<QImage()>([=] { return test::exposure(scene(seed), 4); }) << true << QStringLiteral("blown_out");
        }
        QTest::newRow("black frame") << std::function<QImage()>([] { return test::blackFrame(960, 720, 1); }) << true
                                     << QStringLiteral("black");
        QTest::newRow("floor") << std::function<QImage()>([] { return test::uniformFrame(960, 720, QColor(150, 120, 90), 2); })
                               << true << QStringLiteral("uniform");
        QTest::newRow("pocket") << std::function<QImage()>([] { return test::uniformFrame(960, 720, QColor(40, 40, 55), 3); })
                                << true << QString();
        QTest::newRow("ceiling") << std::function<QImage()>([] { return test::uniformFrame(960, 720, QColor(225, 225, 220), 4); })
                                 << true << QStringLiteral("uniform");
    }

    void verdicts()
    {
        QFETCH(std::function<QImage()>, make);
        QFETCH(bool, discard);
        QFETCH(QString, rule);
        const ImageSignals s = SignalExtractor::measure(make());
        const LocalVerdict v = OfflineJudge().judgePhoto(s);
        const QString detail = QStringLiteral("%1 [%2, %3] mean %4 p99 %5 regional %6 detail %7")
                                   .arg(v.reason, v.rule)
                                   .arg(v.confidence)
                                   .arg(s.meanLuma)
                                   .arg(s.p99)
                                   .arg(s.regionalSharpness)
                                   .arg(s.detailFraction);
        QVERIFY2((v.verdict == VerdictKind::Discard) == discard, qPrintable(detail));
        QVERIFY2(!v.reason.isEmpty(), "every verdict carries a reason");
        QVERIFY(v.confidence >= 0.5 && v.confidence <= 1.0);
        if (discard && !rule.isEmpty())
            QVERIFY2(v.rule == rule, qPrintable(detail));
    }

    void reasonsCarryTheirNumbers()
    {
        const LocalVerdict black = OfflineJudge().judgePhoto(SignalExtractor::measure(test::blackFrame(640, 480, 9)));
        QVERIFY2(black.reason.contains(QLatin1String("nearly black")) && black.reason.contains(QLatin1Char('%')),
                 qPrintable(black.reason));
        QVERIFY(black.confident());
        const LocalVerdict blurry = OfflineJudge().judgePhoto(SignalExtractor::measure(test::defocus(scene(30), 0.03)));
        QVERIFY2(blurry.reason.contains(QLatin1String("out of focus")), qPrintable(blurry.reason));
        QVERIFY(blurry.confident());
    }

    void realPhotosAreKept_data()
    {
        QTest::addColumn<QString>("file");
        // The real photos with real content: a sharp photo is never discarded. The shallow-focus
        // Xiaomi pen is the portrait-mode trap, the ruled-paper arrow the sparse-detail one.
        for (const char *f : {"exif-samples__landscape_8.jpg", "immich__portrait-orientation-6.jpg", "exiftool__Apple.jpg",
                              "immich__IMG_2682.heic", "pillow_heif__arrow.heic", "pillow_heif__xiaomi.heic"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }

    void realPhotosAreKept()
    {
        QFETCH(QString, file);
        const QString path = QDir(QStringLiteral(MT_SHARED_MEDIA_DIR)).filePath(file);
        if (!QFileInfo::exists(path))
            QSKIP("shared test media not present");
        auto s = SignalExtractor::measureFile(inspectFile(path));
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
        const LocalVerdict v = OfflineJudge().judgePhoto(*s);
        QVERIFY2(v.verdict == VerdictKind::Keep, qPrintable(v.reason));
    }

    void blankFramesAreDiscarded_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("rule");
        // Test stubs whose pixels were replaced by one flat colour (pure white, pure black), and
        // the Samsung sample: a blank grey wall with a soft reflection, nothing in focus — the
        // accidental frame the triage criteria discard.
        QTest::newRow("white stub") << QStringLiteral("elodie__with-location-inv.jpg") << QStringLiteral("blown_out");
        QTest::newRow("black stub") << QStringLiteral("exiftool__GPS.jpg") << QStringLiteral("black");
        QTest::newRow("blank wall") << QStringLiteral("immich__samsung-one-ui-6.heic") << QStringLiteral("blurry");
    }

    void blankFramesAreDiscarded()
    {
        QFETCH(QString, file);
        QFETCH(QString, rule);
        const QString path = QDir(QStringLiteral(MT_SHARED_MEDIA_DIR)).filePath(file);
        if (!QFileInfo::exists(path))
            QSKIP("shared test media not present");
        auto s = SignalExtractor::measureFile(inspectFile(path));
        QVERIFY(s.ok());
        const LocalVerdict v = OfflineJudge().judgePhoto(*s);
        QCOMPARE(v.verdict, VerdictKind::Discard);
        QCOMPARE(v.rule, rule);
    }

    void tooSmallToJudgeIsKeptWithLowConfidence()
    {
        QImage tiny(8, 8, QImage::Format_RGB32);
        tiny.fill(Qt::black);
        const LocalVerdict v = OfflineJudge().judgePhoto(SignalExtractor::measure(tiny));
        QCOMPARE(v.verdict, VerdictKind::Keep);
        QVERIFY(!v.confident());
    }
};

QTEST_GUILESS_MAIN(QualityJudgeTest)
#include "tst_quality_judge.moc"
