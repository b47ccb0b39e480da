#include "metadata/Iso6709.h"

#include <QTest>

class TestIso6709 : public QObject {
    Q_OBJECT
private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<double>("lat");
        QTest::addColumn<double>("lon");
        QTest::addColumn<bool>("hasAlt");
        QTest::addColumn<double>("alt");
        QTest::newRow("android no altitude") << "+33.9951-118.4762/" << true << 33.9951 << -118.4762 << false << 0.0;
        QTest::newRow("apple with altitude") << "+37.7858-122.4064+012.345/" << true << 37.7858 << -122.4064 << true << 12.345;
        QTest::newRow("south east") << "-33.8688+151.2093/" << true << -33.8688 << 151.2093 << false << 0.0;
        QTest::newRow("south west negative altitude") << "-22.9068-043.1729-005.000/" << true << -22.9068 << -43.1729 << true << -5.0;
        QTest::newRow("no trailing slash") << "+48.8584+002.2945" << true << 48.8584 << 2.2945 << false << 0.0;
        QTest::newRow("DDMM.MM form") << "+4851.504+00217.670/" << true << 48.8584 << 2.29450 << false << 0.0;
        QTest::newRow("DDMMSS form") << "+485130.2+0021740.2/" << true << 48.858389 << 2.294500 << false << 0.0;
        QTest::newRow("CRS suffix") << "+35.6895+139.6917+040.0CRSWGS_84/" << true << 35.6895 << 139.6917 << true << 40.0;
        QTest::newRow("empty") << "" << false << 0.0 << 0.0 << false << 0.0;
        QTest::newRow("garbage") << "hello" << false << 0.0 << 0.0 << false << 0.0;
        QTest::newRow("latitude out of range") << "+95.0000+010.0000/" << false << 0.0 << 0.0 << false << 0.0;
        QTest::newRow("longitude out of range") << "+45.0000+190.0000/" << false << 0.0 << 0.0 << false << 0.0;
        QTest::newRow("missing longitude") << "+45.0000/" << false << 0.0 << 0.0 << false << 0.0;
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto pos = mt::parseIso6709(text);
        QCOMPARE(pos.has_value(), valid);
        if (!valid)
            return;
        QFETCH(double, lat);
        QFETCH(double, lon);
        QFETCH(bool, hasAlt);
        QVERIFY(std::abs(pos->latitude - lat) < 1e-4);
        QVERIFY(std::abs(pos->longitude - lon) < 1e-4);
        QCOMPARE(pos->altitude.has_value(), hasAlt);
        if (hasAlt) {
            QFETCH(double, alt);
            QVERIFY(std::abs(*pos->altitude - alt) < 1e-6);
        }
    }
};

QTEST_GUILESS_MAIN(TestIso6709)
#include "tst_iso6709.moc"
