// Signals behave the way their names promise, on generated pictures.
#include "QualityScenes.h"

#include "quality/PerceptualHash.h"
#include "quality/SignalExtractor.h"

#include <QTest>

using namespace mt;
using namespace mt::quality;

class QualitySignalsTest : public QObject {
    Q_OBJECT

private:
    QImage scene(quint32 seed = 1) const { return test::withNoise(test::texturedScene(960, 720, seed), 1.0, seed); }

private slots:
    void moreBlurLowersSharpness()
    {
        const QImage sharp = scene();
        double previousGlobal = 101, previousRegional = 101, previousEdges = 2;
        for (const double blur : {0.0, 0.002, 0.006, 0.015, 0.03}) {
            const ImageSignals s = SignalExtractor::measure(blur > 0 ? test::defocus(sharp, blur) : sharp);
            QVERIFY2(s.sharpness < previousGlobal, qPrintable(QStringLiteral("blur %1: %2").arg(blur).arg(s.sharpness)));
            QVERIFY2(s.regionalSharpness < previousRegional,
                     qPrintable(QStringLiteral("blur %1: %2").arg(blur).arg(s.regionalSharpness)));
            QVERIFY(s.edgeDensity <= previousEdges);
            previousGlobal = s.sharpness;
            previousRegional = s.regionalSharpness;
            previousEdges = s.edgeDensity;
        }
    }

    void darkerLowersBrightness()
    {
        const QImage base = scene(2);
        double previousMean = 2, previousP99 = 2, previousBlack = -1;
        for (const double ev : {1.0, 0.0, -1.0, -2.0, -3.0, -5.0}) {
            const ImageSignals s = SignalExtractor::measure(test::exposure(base, ev));
            QVERIFY2(s.meanLuma < previousMean, qPrintable(QStringLiteral("EV %1: mean %2").arg(ev).arg(s.meanLuma)));
            QVERIFY(s.p99 <= previousP99);
            QVERIFY(s.nearBlack >= previousBlack);
            previousMean = s.meanLuma;
            previousP99 = s.p99;
            previousBlack = s.nearBlack;
        }
    }

    void sharpnessDoesNotDependOnExposureOrSize()
    {
        // The focus measure is a ratio: darkening or resizing a sharp picture must not make it
        // look blurred (a naive Laplacian variance drops with the square of the contrast).
        const QImage base = scene(3);
        const ImageSignals normal = SignalExtractor::measure(base);
        const ImageSignals dark = SignalExtractor::measure(test::exposure(base, -1.5));
        const ImageSignals big = SignalExtractor::measure(test::texturedScene(1920, 1440, 3));
        QVERIFY2(std::abs(dark.regionalSharpness - normal.regionalSharpness) < 0.25 * normal.regionalSharpness,
                 qPrintable(QStringLiteral("%1 vs %2").arg(dark.regionalSharpness).arg(normal.regionalSharpness)));
        QVERIFY2(big.regionalSharpness > 0.6 * normal.regionalSharpness,
                 qPrintable(QStringLiteral("%1 vs %2").arg(big.regionalSharpness).arg(normal.regionalSharpness)));
        QCOMPARE(std::max(big.width, big.height), SignalExtractor::kAnalysisEdge);
    }

    void motionBlurIsDirectional()
    {
        const QImage base = scene(4);
        const ImageSignals still = SignalExtractor::measure(base);
        const ImageSignals shaken = SignalExtractor::measure(test::motionBlur(base, 0.04));
        QVERIFY(shaken.motionBlur > still.motionBlur + 0.3);
        QVERIFY(shaken.regionalSharpness < still.regionalSharpness / 2);
    }

    void flatFramesHaveNoDetail()
    {
        const ImageSignals flat = SignalExtractor::measure(test::uniformFrame(960, 720, QColor(120, 90, 60), 5));
        const ImageSignals rich = SignalExtractor::measure(scene(5));
        QVERIFY2(flat.detailFraction < 0.1, qPrintable(QString::number(flat.detailFraction)));
        QVERIFY(rich.detailFraction > 0.8);
        QVERIFY(flat.edgeDensity < rich.edgeDensity / 10);
        QVERIFY(flat.contrast < rich.contrast);
        QVERIFY(flat.dominantColour > rich.dominantColour);
        QVERIFY(flat.colourfulness < rich.colourfulness);
    }

    void exposureFractions()
    {
        QImage half(400, 300, QImage::Format_RGB32);
        half.fill(Qt::white);
        QPainter(&half).fillRect(0, 0, 200, 300, Qt::black);
        const ImageSignals s = SignalExtractor::measure(half);
        QVERIFY(std::abs(s.nearBlack - 0.5) < 0.01);
        QVERIFY(std::abs(s.nearWhite - 0.5) < 0.01);
        QCOMPARE(s.p1, 0.0);
        QCOMPARE(s.p99, 1.0);
        QCOMPARE(s.dynamicRange, 1.0);
    }

    void perceptualHashSeparatesScenes()
    {
        const QImage a = scene(6);
        const ImageSignals original = SignalExtractor::measure(a);
        const ImageSignals smaller = SignalExtractor::measure(a.scaled(480, 360, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        const ImageSignals brighter = SignalExtractor::measure(test::exposure(a, 0.5));
        QVERIFY(hammingDistance(original.perceptualHash, smaller.perceptualHash) <= 4);
        QVERIFY(hammingDistance(original.perceptualHash, brighter.perceptualHash) <= 8);
        int close = 0;
        for (quint32 seed = 10; seed < 20; ++seed)
            close += hammingDistance(original.perceptualHash, SignalExtractor::measure(scene(seed)).perceptualHash) <= 8;
        QCOMPARE(close, 0);
    }

    void emptyAndTinyImages()
    {
        const ImageSignals none = SignalExtractor::measure(QImage());
        QCOMPARE(none.width, 0);
        QImage tiny(8, 8, QImage::Format_RGB32);
        tiny.fill(qRgb(100, 120, 140));
        const ImageSignals s = SignalExtractor::measure(tiny);
        QCOMPARE(s.width, 8);
        QVERIFY(s.meanLuma > 0.4 && s.meanLuma < 0.5);
    }
};

QTEST_GUILESS_MAIN(QualitySignalsTest)
#include "tst_quality_signals.moc"
