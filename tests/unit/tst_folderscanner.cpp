#include "media/FolderScanner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray kJpegHead("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
const QByteArray kTiffHead("II*\x00\x08\x00\x00\x00", 8);
const QByteArray kMp4Head("\x00\x00\x00\x18" "ftypisom\x00\x00\x00\x00isomiso2", 24);

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

QStringList names(const std::vector<mt::MediaItem> &items, const QString &root)
{
    QStringList out;
    for (const auto &i : items)
        out << QDir(root).relativeFilePath(i.path);
    return out;
}

} // namespace

class TestFolderScanner : public QObject {
    Q_OBJECT
private slots:
    void flatFolderNaturalOrderAndFilters()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("IMG_10.JPG"), kJpegHead);
        writeFile(dir.filePath("IMG_2.jpg"), kJpegHead);
        writeFile(dir.filePath("IMG_1.MOV"), kMp4Head);
        writeFile(dir.filePath("notes.txt"), "hello");
        writeFile(dir.filePath(".hidden.jpg"), kJpegHead);
        writeFile(dir.filePath("sub/IMG_3.jpg"), kJpegHead);
        const auto items = mt::FolderScanner({false}).scanFolder(dir.path());
        QCOMPARE(names(items, dir.path()), (QStringList{"IMG_1.MOV", "IMG_2.jpg", "IMG_10.JPG"}));
        QCOMPARE(items[0].kind, mt::MediaKind::Video);
        QCOMPARE(items[1].kind, mt::MediaKind::Photo);
        QVERIFY(QDir::isAbsolutePath(items[0].path));
    }

    void recursiveSkipsDotFolders()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("a.jpg"), kJpegHead);
        writeFile(dir.filePath("Day 2/b.jpg"), kJpegHead);
        writeFile(dir.filePath("Day 10/c.jpg"), kJpegHead);
        writeFile(dir.filePath(".thumbnails/d.jpg"), kJpegHead);
        writeFile(dir.filePath("Day 2/.git/e.jpg"), kJpegHead);
        const auto items = mt::FolderScanner({true}).scanFolder(dir.path());
        QCOMPARE(names(items, dir.path()), (QStringList{"a.jpg", "Day 2/b.jpg", "Day 10/c.jpg"}));
    }

    void symlinkLoopsTerminate()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("x/a.jpg"), kJpegHead);
        QVERIFY(QFile::link(dir.filePath("x"), dir.filePath("x/loop")));
        QVERIFY(QFile::link(dir.path(), dir.filePath("x/up")));
        QVERIFY(QFile::link(dir.filePath("missing"), dir.filePath("x/dangling")));
        const auto items = mt::FolderScanner({true}).scanFolder(dir.path());
        QCOMPARE(items.size(), size_t(1));
        QCOMPARE(items[0].fileName, QStringLiteral("a.jpg"));
    }

    void badFilesBecomeItemsWithErrors()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("x.heic"), "this is text, not an image");
        writeFile(dir.filePath("zero.jpg"), QByteArray());
        writeFile(dir.filePath("日本 ☀.jpg"), kJpegHead);
        const auto items = mt::FolderScanner().scanFolder(dir.path());
        QCOMPARE(items.size(), size_t(3));
        int errors = 0;
        for (const auto &i : items) {
            if (i.fileName == QStringLiteral("日本 ☀.jpg"))
                QVERIFY(i.ok());
            else {
                QVERIFY2(i.error.has_value(), qPrintable(i.fileName));
                ++errors;
            }
        }
        QCOMPARE(errors, 2);
    }

    void scanPathsMixesFilesFoldersAndMissing()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("f/a.jpg"), kJpegHead);
        writeFile(dir.filePath("single.bin"), kJpegHead); // named explicitly: content decides
        const auto items = mt::FolderScanner().scanPaths(
            {dir.filePath("f"), dir.filePath("single.bin"), dir.filePath("nope.jpg")});
        QCOMPARE(items.size(), size_t(3));
        QVERIFY(items[0].ok());
        QVERIFY(items[1].ok());
        QCOMPARE(items[1].mime, QStringLiteral("image/jpeg"));
        QVERIFY(items[2].error.has_value());
    }

    // RAW+JPEG of one shot is one item, the JPEG's, with the RAW as its companion.
    void rawJpegCompanions_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QStringList>("items");      // relative names, in order
        QTest::addColumn<QStringList>("companions"); // per item, ";"-joined relative names
        QTest::newRow("pair") << QStringList{"IMG_1.CR2", "IMG_1.JPG"} << QStringList{"IMG_1.JPG"} << QStringList{"IMG_1.CR2"};
        QTest::newRow("case differs") << QStringList{"dsc_2.nef", "DSC_2.jpg"} << QStringList{"DSC_2.jpg"} << QStringList{"dsc_2.nef"};
        QTest::newRow("raw alone stays") << QStringList{"IMG_3.DNG", "IMG_4.JPG"} << QStringList{"IMG_3.DNG", "IMG_4.JPG"} << QStringList{"", ""};
        QTest::newRow("heic leads") << QStringList{"IMG_5.HEIC", "IMG_5.DNG"} << QStringList{"IMG_5.HEIC"} << QStringList{"IMG_5.DNG"};
        QTest::newRow("two raws") << QStringList{"P_6.ARW", "P_6.DNG", "P_6.JPG"} << QStringList{"P_6.JPG"} << QStringList{"P_6.ARW;P_6.DNG"};
        QTest::newRow("other folder") << QStringList{"a/IMG_7.CR2", "b/IMG_7.JPG"} << QStringList{"a/IMG_7.CR2", "b/IMG_7.JPG"} << QStringList{"", ""};
        QTest::newRow("video never leads") << QStringList{"IMG_8.MOV", "IMG_8.NEF"} << QStringList{"IMG_8.MOV", "IMG_8.NEF"} << QStringList{"", ""};
    }
    void rawJpegCompanions()
    {
        QFETCH(QStringList, files);
        QFETCH(QStringList, items);
        QFETCH(QStringList, companions);
        QTemporaryDir dir;
        for (const QString &f : files) {
            const QString ext = f.section(u'.', -1).toLower();
            writeFile(dir.filePath(f), ext == "jpg" ? kJpegHead
                                           : ext == "mov" ? kMp4Head
                                           : ext == "heic" ? QByteArray("\x00\x00\x00\x18" "ftypheic\x00\x00\x00\x00mif1heic", 24)
                                                           : kTiffHead);
        }
        const auto found = mt::FolderScanner({true}).scanFolder(dir.path());
        QCOMPARE(names(found, dir.path()), items);
        for (size_t i = 0; i < found.size(); ++i) {
            QStringList rel;
            for (const QString &c : found[i].companions)
                rel << QDir(dir.path()).relativeFilePath(c);
            QCOMPARE(rel.join(u';'), companions[qsizetype(i)]);
        }
    }

    void cancelledScanStops()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 5; ++i)
            writeFile(dir.filePath(QStringLiteral("d%1/a.jpg").arg(i)), kJpegHead);
        mt::CancellationToken token;
        token.cancel();
        QVERIFY(mt::FolderScanner({true}).scanFolder(dir.path(), token).empty());
    }
};

QTEST_GUILESS_MAIN(TestFolderScanner)
#include "tst_folderscanner.moc"
