#include "thumbs/ThumbnailCache.h"
#include "thumbs/ThumbnailSize.h"

#include <QTest>

class TestThumbnailSize : public QObject {
    Q_OBJECT
private slots:
    void fitWithin_data()
    {
        QTest::addColumn<QSize>("source");
        QTest::addColumn<int>("maxEdge");
        QTest::addColumn<QSize>("expected");
        QTest::newRow("landscape 12 MP") << QSize(4032, 3024) << 256 << QSize(256, 192);
        QTest::newRow("portrait 12 MP") << QSize(3024, 4032) << 256 << QSize(192, 256);
        QTest::newRow("square") << QSize(5000, 5000) << 128 << QSize(128, 128);
        QTest::newRow("rounding") << QSize(1000, 333) << 128 << QSize(128, 43);
        QTest::newRow("panorama keeps a pixel") << QSize(20000, 50) << 128 << QSize(128, 1);
        QTest::newRow("smaller: never upscaled") << QSize(8, 8) << 1024 << QSize(8, 8);
        QTest::newRow("equal") << QSize(256, 100) << 256 << QSize(256, 100);
        QTest::newRow("empty source") << QSize(0, 10) << 256 << QSize();
        QTest::newRow("no size asked") << QSize(100, 100) << 0 << QSize();
    }
    void fitWithin()
    {
        QFETCH(QSize, source);
        QFETCH(int, maxEdge);
        QFETCH(QSize, expected);
        QCOMPARE(mt::fitWithin(source, maxEdge), expected);
    }

    void standardSizes()
    {
        for (int s : {128, 256, 512, 1024})
            QVERIFY(mt::isStandardThumbnailSize(s));
        for (int s : {0, 64, 255, 300, 2048})
            QVERIFY(!mt::isStandardThumbnailSize(s));
    }
};

QTEST_GUILESS_MAIN(TestThumbnailSize)
#include "tst_thumbsize.moc"
