#include "common/NaturalSort.h"

#include <QTest>

#include <algorithm>

class TestNaturalSort : public QObject {
    Q_OBJECT
private slots:
    void compare_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("expected");
        QTest::newRow("numbers by value") << "IMG_2.jpg" << "IMG_10.jpg" << -1;
        QTest::newRow("reverse") << "IMG_10.jpg" << "IMG_2.jpg" << 1;
        QTest::newRow("case-insensitive") << "img_3.JPG" << "IMG_4.jpg" << -1;
        QTest::newRow("leading zeros same value") << "IMG_0007.jpg" << "IMG_7.jpg" << 0;
        QTest::newRow("prefix shorter first") << "IMG" << "IMG_1" << -1;
        QTest::newRow("letters after digits") << "a1b" << "a1c" << -1;
        QTest::newRow("huge numbers beyond 64 bit") << "x123456789012345678901" << "x123456789012345678902" << -1;
        QTest::newRow("non-ascii") << "été_2.jpg" << "été_11.jpg" << -1;
    }
    void compare()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, expected);
        const int got = mt::naturalCompare(a, b);
        if (expected == 0)
            QVERIFY2(got != 0 ? a.compare(b) == got : true, "tie-break must be plain order");
        else
            QCOMPARE(got < 0 ? -1 : 1, expected);
    }
    void sortsAPhoneFolder()
    {
        QStringList names{"IMG_10.HEIC", "IMG_9.HEIC", "IMG_100.MOV", "img_1.jpg", "IMG_11.heic"};
        std::sort(names.begin(), names.end(), [](const QString &x, const QString &y) { return mt::naturalLess(x, y); });
        QCOMPARE(names, (QStringList{"img_1.jpg", "IMG_9.HEIC", "IMG_10.HEIC", "IMG_11.heic", "IMG_100.MOV"}));
    }
};

QTEST_GUILESS_MAIN(TestNaturalSort)
#include "tst_naturalsort.moc"
