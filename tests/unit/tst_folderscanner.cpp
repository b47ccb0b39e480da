#include "media/FolderScanner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray kJpegHead("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
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
