// File names that are not valid UTF-8 (Linux names are bytes): Qt 6.4's QDir leaves such files out
// and maps any QString back to UTF-8, so without NativePath they were hidden, and a look-alike
// name could be opened in their place. Each file here is checked against a twin with the same
// bytes under a UTF-8 name: scanned, metadata, thumbnail, offline analysis, content hash, trash.
#include "media/FolderScanner.h"
#include "media/NativePath.h"
#include "metadata/MetadataReader.h"
#include "quality/QualityAnalyzer.h"
#include "thumbs/ThumbnailGenerator.h"
#include "triage/ContentHash.h"
#include "triage/Trash.h"

#include "DamagedFiles.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace mt;
using namespace mt::test;

namespace {

// The same name Qt would turn the raw one into: U+FFFD in valid UTF-8.
const QByteArray kLookAlikeMarker = "\xEF\xBF\xBD";

// Writes `bytes` under a name given as raw bytes, which no QString API can express.
bool writeRaw(const QByteArray &path, const QByteArray &bytes)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, bytes.constData(), size_t(bytes.size())) == bytes.size();
    ::close(fd);
    return ok;
#else
    Q_UNUSED(path);
    Q_UNUSED(bytes);
    return false;
#endif
}

bool rawExists(const QByteArray &path)
{
#ifdef Q_OS_UNIX
    return ::access(path.constData(), F_OK) == 0;
#else
    Q_UNUSED(path);
    return false;
#endif
}

const MediaItem *itemNamed(const std::vector<MediaItem> &items, const QString &path)
{
    for (const MediaItem &item : items)
        if (item.path == path)
            return &item;
    return nullptr;
}

} // namespace

class TestNonUtf8Names : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dataHome; // $XDG_DATA_HOME: the trash of this test
    QTemporaryDir m_dir;
    QString m_rawPath;    // the escaped QString of the raw name
    QByteArray m_rawBytes;

    // Creates "<stem>\xFF\xFE.<ext>" and "twin-<stem>.<ext>" with the source's bytes, and a
    // look-alike "<stem>\uFFFD\uFFFD.<ext>" with other bytes. Returns the twin's path.
    QString makeFiles(const QString &source, const QString &stem)
    {
        const QByteArray bytes = readAll(source);
        if (bytes.isEmpty())
            return {};
        const QString ext = source.mid(source.lastIndexOf(u'.'));
        const QByteArray folder = QFile::encodeName(m_dir.path());
        m_rawBytes = folder + '/' + stem.toUtf8() + "\xFF\xFE" + ext.toUtf8();
        if (!writeRaw(m_rawBytes, bytes))
            return {};
        writeRaw(folder + '/' + stem.toUtf8() + kLookAlikeMarker + kLookAlikeMarker + ext.toUtf8(), "look-alike, other bytes");
        const QString twin = m_dir.filePath(QStringLiteral("twin-") + stem + ext);
        writeRaw(QFile::encodeName(twin), bytes);
        m_rawPath = NativePath::fromNative(m_rawBytes);
        return twin;
    }

private slots:
    void initTestCase()
    {
#ifdef Q_OS_UNIX
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dataHome.path()));
        if (!writeRaw(QFile::encodeName(m_dir.path()) + "/probe\xFF", "x"))
            QSKIP("This file system refuses names that are not valid UTF-8 (e.g. APFS).");
        ::unlink((QFile::encodeName(m_dir.path()) + "/probe\xFF").constData());
#else
        QSKIP("Only POSIX file systems store names that are not valid UTF-8.");
#endif
    }

    void cleanupTestCase()
    {
        // QDir::removeRecursively cannot see these names either.
        std::error_code ec;
        for (const QTemporaryDir *dir : {&m_dir, &m_dataHome})
            std::filesystem::remove_all(std::filesystem::path(QFile::encodeName(dir->path()).toStdString()), ec);
    }

    void escapingRoundTrips_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("ASCII") << QByteArray("/photos/IMG_0001.jpg");
        QTest::newRow("valid UTF-8") << QByteArray("/fotos/Gr\xC3\xBC\xC3\x9F" "e \xF0\x9F\x93\xB7.jpg");
        QTest::newRow("0xFF") << QByteArray("/a\xFF" "b.jpg");
        QTest::newRow("Latin-1 name") << QByteArray("/Gr\xFC\xDF" "e.jpg");
        QTest::newRow("cut-off sequence") << QByteArray("/x\xE2\x82.jpg");
        QTest::newRow("encoded surrogate") << QByteArray("/s\xED\xB3\xBF.jpg");
        QTest::newRow("overlong slash") << QByteArray("/o\xC0\xAF.jpg");
    }

    void escapingRoundTrips()
    {
        QFETCH(QByteArray, bytes);
        const QString path = NativePath::fromNative(bytes);
        QCOMPARE(NativePath::toNative(path), bytes);
        // Only names that are not UTF-8 are escaped; the others are what Qt would make of them.
        QCOMPARE(NativePath::isEscaped(path), QString::fromUtf8(bytes).toUtf8() != bytes);
        if (!NativePath::isEscaped(path))
            QCOMPARE(path, QString::fromUtf8(bytes));
    }

    void qtLeavesSuchNamesOut()
    {
        // Why NativePath exists: if this fails, Qt lists such names now and the listing could use it.
        const QString twin = makeFiles(QStringLiteral(MT_SHARED_MEDIA_DIR "/exif-samples__landscape_8.jpg"), QStringLiteral("qt"));
        QVERIFY(!twin.isEmpty());
        const QStringList listed = QDir(m_dir.path()).entryList({QStringLiteral("qt*")}, QDir::Files);
        QCOMPARE(listed.size(), 1); // the look-alike only
        QVERIFY(listed.first().contains(QChar(0xFFFD)));
    }

    void fileIsHandledLikeItsTwin_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("JPEG") << QStringLiteral(MT_SHARED_MEDIA_DIR "/exif-samples__landscape_8.jpg");
        QTest::newRow("HEIC") << QStringLiteral(MT_SHARED_MEDIA_DIR "/pillow_heif__arrow.heic");
        QTest::newRow("MP4") << QStringLiteral(MT_FIXTURE_DIR "/nometa.mp4");
    }

    void fileIsHandledLikeItsTwin()
    {
        QFETCH(QString, source);
        const QString stem = QString::fromLatin1(QTest::currentDataTag());
        const QString twinPath = makeFiles(source, stem);
        QVERIFY2(!twinPath.isEmpty(), "cannot create the test files");

        // Scanned: found, named as escaped bytes, and the bytes come back exactly.
        const std::vector<MediaItem> items = FolderScanner().scanFolder(m_dir.path());
        const MediaItem *item = itemNamed(items, m_rawPath);
        const MediaItem *twin = itemNamed(items, twinPath);
        QVERIFY2(item, "the scanner did not list the file");
        QVERIFY(twin);
        QVERIFY2(item->ok(), qPrintable(item->error.value_or(QString())));
        QCOMPARE(NativePath::toNative(item->path), m_rawBytes);
        QVERIFY(item->fileName.contains(QChar(0xDCFF)));
        QCOMPARE(item->sizeBytes, twin->sizeBytes);
        QCOMPARE(item->mime, twin->mime);

        // Shown: metadata and thumbnail as for the twin.
        const auto metadata = readMetadata(*item);
        const auto twinMetadata = readMetadata(*twin);
        QVERIFY2(metadata.ok(), qPrintable(metadata.ok() ? QString() : metadata.error().message));
        QCOMPARE(metadata->width, twinMetadata->width);
        QCOMPARE(metadata->height, twinMetadata->height);
        const auto thumb = ThumbnailGenerator::generate(*item, 128);
        const auto twinThumb = ThumbnailGenerator::generate(*twin, 128);
        QVERIFY2(thumb.ok(), qPrintable(thumb.ok() ? QString() : thumb.error().message));
        QVERIFY(!thumb->isNull());
        QCOMPARE(thumb->convertToFormat(QImage::Format_RGB32), twinThumb->convertToFormat(QImage::Format_RGB32));

        // Judged: the offline analysis and the content hash.
        const quality::OfflineJudge judge;
        const auto analysis = quality::QualityAnalyzer::analyzeItem(*item, judge);
        const auto twinAnalysis = quality::QualityAnalyzer::analyzeItem(*twin, judge);
        QVERIFY2(!analysis.error, qPrintable(analysis.error ? analysis.error->message : QString()));
        QCOMPARE(analysis.verdict.rule, twinAnalysis.verdict.rule);
        QCOMPARE(analysis.verdict.verdict, twinAnalysis.verdict.verdict);
        const auto hash = contentHash(item->path);
        QVERIFY(hash.ok());
        QCOMPARE(*hash, *contentHash(twin->path));

        // Trashed: this file, not the look-alike.
        const QString lookAlike = m_dir.filePath(stem + QString(2, QChar(0xFFFD)) + source.mid(source.lastIndexOf(u'.')));
        QCOMPARE(readAll(lookAlike), QByteArray("look-alike, other bytes"));
        TriageItemResult discard;
        discard.path = item->path;
        discard.verdict = VerdictKind::Discard;
        discard.contentHash = *hash;
        const TrashOutcome out = DiscardMover::moveToTrash(discard);
        QVERIFY2(out.moved, qPrintable(out.error));
        QVERIFY(!rawExists(m_rawBytes));
        QVERIFY(NativePath::status(out.trashPath).isFile);
        QCOMPARE(*contentHash(out.trashPath), *hash);
        QCOMPARE(readAll(lookAlike), QByteArray("look-alike, other bytes"));
        // The trash entry names the original bytes, so a file manager restores it where it was.
        const QString info = QFileInfo(out.trashPath).absolutePath() + QStringLiteral("/../info/")
                           + QFileInfo(out.trashPath).fileName() + QStringLiteral(".trashinfo");
        QFile infoFile;
        QVERIFY(NativePath::open(infoFile, info, QIODevice::ReadOnly).ok());
        QVERIFY(infoFile.readAll().contains("Path=" + m_rawBytes.toPercentEncoding("/")));
        // And back: the journal's undo does this rename.
        QVERIFY(NativePath::rename(out.trashPath, item->path));
        QVERIFY(rawExists(m_rawBytes));
    }

    void folderWithSuchANameIsScanned()
    {
#ifdef Q_OS_UNIX
        const QByteArray folder = QFile::encodeName(m_dir.path()) + "/album\xFF";
        QVERIFY(::mkdir(folder.constData(), 0755) == 0);
        const QByteArray bytes = readAll(QStringLiteral(MT_SHARED_MEDIA_DIR "/exif-samples__landscape_8.jpg"));
        QVERIFY(writeRaw(folder + "/inside.jpg", bytes));
        ScanOptions options;
        options.recursive = true;
        const std::vector<MediaItem> items = FolderScanner(options).scanFolder(m_dir.path());
        const MediaItem *inside = itemNamed(items, NativePath::fromNative(folder + "/inside.jpg"));
        QVERIFY(inside);
        QVERIFY2(inside->ok(), qPrintable(inside->error.value_or(QString())));
        QCOMPARE(inside->sizeBytes, qint64(bytes.size()));
#endif
    }
};

QTEST_GUILESS_MAIN(TestNonUtf8Names)
#include "tst_non_utf8_names.moc"
