// The platform layer (src/core/platform) through every implementation that runs here: the Linux
// ones this build uses and the generic Qt ones macOS and Windows use. A file named
// "Straße 日本.<ext>" is opened, thumbnailed, read for metadata, cached and trashed + restored
// through each, and must give the same result as an ASCII-named copy read the Linux way.
#include "common/FfmpegUtil.h"
#include "media/MediaType.h"
#include "metadata/MetadataReader.h"
#include "platform/CFileAccess.h"
#include "platform/Exiv2File.h"
#include "platform/FileNameCase.h"
#include "platform/SystemTrash.h"
#include "platform/ThumbnailCacheLocation.h"
#include "thumbs/ThumbnailCache.h"
#include "thumbs/ThumbnailGenerator.h"
#include "thumbs/ThumbnailProvider.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace mt;

Q_DECLARE_METATYPE(mt::CFileAccess)

namespace {

const QString kStem = QStringLiteral("Straße 日本");

QByteArray sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

std::unique_ptr<SystemTrash> makeTrash(const QString &kind)
{
    if (kind == QLatin1String("freedesktop"))
        return std::make_unique<FreedesktopTrash>();
    return std::make_unique<QtTrash>();
}

} // namespace

class TestPlatformLayer : public QObject {
    Q_OBJECT

    QTemporaryDir m_home; // XDG_DATA_HOME (the trash) and XDG_CACHE_HOME, on the media's drive
    QString m_media;      // the non-ASCII copies and their ASCII twins

    QString copyFixture(const QString &fixture, const QString &name)
    {
        const QString source = QStringLiteral(MT_FIXTURE_DIR "/") + fixture;
        const QString target = QDir(m_media).filePath(name);
        QFile::remove(target);
        if (!QFile::copy(source, target))
            return {};
        // The twins' file times equal too: a video without a creation date falls back to them.
        QFile copy(target);
        if (!copy.open(QIODevice::ReadWrite)
            || !copy.setFileTime(QFileInfo(source).lastModified(), QFileDevice::FileModificationTime))
            return {};
        return target;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("MediaTriageTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_platform_layer"));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
        qputenv("XDG_CACHE_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("cache"))));
        m_media = m_home.filePath(QStringLiteral("media"));
        QVERIFY(QDir().mkpath(m_media));
        // Qt creates the Trash folder, not the data folder it lives in.
        QVERIFY(QDir().mkpath(m_home.filePath(QStringLiteral("data"))));
    }

    // What this Linux build chose (Platform_linux.cpp).
    void linuxChoices()
    {
        QCOMPARE(platformCFileAccess(), CFileAccess::ByName);
        QCOMPARE(ThumbnailCacheLocation::platform(), ThumbnailCacheLocation::freedesktop());
        QVERIFY(dynamic_cast<const FreedesktopTrash *>(&SystemTrash::platform()));
        QCOMPARE(ThumbnailCacheLocation::freedesktop(), m_home.filePath(QStringLiteral("cache/thumbnails")));
        QCOMPARE(ThumbnailCacheLocation::appCache(),
                 QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/thumbnails"));
        QVERIFY(ThumbnailCacheLocation::appCache() != ThumbnailCacheLocation::freedesktop());
    }

    void readsThroughEachFileAccess_data()
    {
        QTest::addColumn<CFileAccess>("access");
        QTest::addColumn<QString>("fixture");
        const QStringList fixtures{QStringLiteral("photo.heic"), QStringLiteral("full.jpg"), QStringLiteral("rotated.mp4"),
                                   QStringLiteral("apple.mov")};
        for (const QString &f : fixtures) {
            QTest::addRow("by name, %s", qPrintable(f)) << CFileAccess::ByName << f;
            QTest::addRow("through Qt, %s", qPrintable(f)) << CFileAccess::ThroughQt << f;
        }
    }

    // Metadata and thumbnail of the non-ASCII name equal the ASCII twin's, read the Linux way.
    void readsThroughEachFileAccess()
    {
        QFETCH(CFileAccess, access);
        QFETCH(QString, fixture);
        const QString ext = fixture.mid(fixture.lastIndexOf(u'.'));
        const QString path = copyFixture(fixture, kStem + ext);
        const QString twin = copyFixture(fixture, QStringLiteral("twin") + ext);
        QVERIFY(!path.isEmpty() && !twin.isEmpty());

        const auto expectedMd = readMetadata(inspectFile(twin));
        QVERIFY2(expectedMd, qPrintable(expectedMd ? QString() : expectedMd.error().message));
        const auto expectedThumb = ThumbnailGenerator::generate(twin, 128);
        QVERIFY(expectedThumb);

        const ScopedCFileAccess scoped(access);
        QCOMPARE(cFileAccess(), access);
        const MediaItem item = inspectFile(path);
        const auto md = readMetadata(item);
        QVERIFY2(md, qPrintable(md ? QString() : md.error().message));
        QCOMPARE(md->width, expectedMd->width);
        QCOMPARE(md->height, expectedMd->height);
        QCOMPARE(md->orientation, expectedMd->orientation);
        QCOMPARE(md->capturedAt.has_value(), expectedMd->capturedAt.has_value());
        if (md->capturedAt)
            QCOMPARE(md->capturedAt->dateTime, expectedMd->capturedAt->dateTime);
        const auto thumb = ThumbnailGenerator::generate(item, 128);
        QVERIFY2(thumb, qPrintable(thumb ? QString() : thumb.error().message));
        QCOMPARE(thumb->convertToFormat(QImage::Format_RGB32), expectedThumb->convertToFormat(QImage::Format_RGB32));
    }

    // Through Qt, the C libraries really never open the file by name.
    void throughQtKeepsTheNameFromTheLibraries()
    {
        const QString video = copyFixture(QStringLiteral("rotated.mp4"), kStem + QStringLiteral(".mp4"));
        auto byQt = ff::openInput(video, nullptr, CFileAccess::ThroughQt);
        QVERIFY(byQt);
        QVERIFY((*byQt)->flags & AVFMT_FLAG_CUSTOM_IO);
        auto byName = ff::openInput(video, nullptr, CFileAccess::ByName);
        QVERIFY(byName);
        QVERIFY(!((*byName)->flags & AVFMT_FLAG_CUSTOM_IO));
        QCOMPARE((*byQt)->duration, (*byName)->duration);

        const QString photo = copyFixture(QStringLiteral("full.jpg"), kStem + QStringLiteral(".jpg"));
        auto exiv = Exiv2File::open(photo, CFileAccess::ThroughQt);
        QVERIFY(exiv);
        QVERIFY(QString::fromStdString((*exiv)->image().io().path()) != photo);
        (*exiv)->image().readMetadata();
        QVERIFY(!(*exiv)->image().exifData().empty());
    }

    void missingAndEmptyFilesAreErrors_data()
    {
        QTest::addColumn<CFileAccess>("access");
        QTest::newRow("by name") << CFileAccess::ByName;
        QTest::newRow("through Qt") << CFileAccess::ThroughQt;
    }

    void missingAndEmptyFilesAreErrors()
    {
        QFETCH(CFileAccess, access);
        const QString missing = QDir(m_media).filePath(kStem + QStringLiteral(" gone.mp4"));
        auto video = ff::openInput(missing, nullptr, access);
        QVERIFY(!video);
        QCOMPARE(video.error().code, Error::Code::NotFound);
        QVERIFY(!Exiv2File::open(missing, access));

        const QString empty = QDir(m_media).filePath(kStem + QStringLiteral(" empty.jpg"));
        QFile f(empty);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QVERIFY(!Exiv2File::open(empty, access));
        QVERIFY(!ff::openInput(empty, nullptr, access));
    }

    void thumbnailCacheLocations_data()
    {
        QTest::addColumn<QString>("root");
        QTest::newRow("freedesktop (Linux)") << ThumbnailCacheLocation::freedesktop();
        QTest::newRow("app cache (macOS, Windows)") << ThumbnailCacheLocation::appCache();
    }

    // Same format at either location: stored, found valid, replaced in place, read by the provider.
    void thumbnailCacheLocations()
    {
        QFETCH(QString, root);
        const QString path = copyFixture(QStringLiteral("photo.heic"), kStem + QStringLiteral(".heic"));
        const auto source = SourceFile::stat(path);
        QVERIFY(source);
        const ThumbnailCache cache(root);
        QCOMPARE(cache.root(), root);

        QImage first(64, 48, QImage::Format_RGB32);
        first.fill(Qt::red);
        auto stored = cache.store(*source, 128, first);
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message));
        QVERIFY(stored->startsWith(root + u'/'));
        QVERIFY(cache.find(*source, 128));
        // A second store replaces the PNG in one step (QSaveFile: closed, then renamed over).
        QImage second(64, 48, QImage::Format_RGB32);
        second.fill(Qt::blue);
        QVERIFY(cache.store(*source, 128, second));
        QCOMPARE(QImage(*stored).convertToFormat(QImage::Format_RGB32), second);
        QCOMPARE(QDir(QFileInfo(*stored).absolutePath()).entryList(QDir::Files), QStringList{QFileInfo(*stored).fileName()});
        QVERIFY(QFile::remove(*stored));

        const ThumbnailProvider provider{ThumbnailCache(root)};
        const auto made = provider.get(path, 128);
        QVERIFY2(made, qPrintable(made ? QString() : made.error().message));
        QVERIFY(!made->fromCache);
        const auto again = provider.get(path, 128);
        QVERIFY(again);
        QVERIFY(again->fromCache);
        QVERIFY(again->file.startsWith(root + u'/'));
    }

    void trashAndRestore_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("freedesktop (Linux)") << QStringLiteral("freedesktop");
        QTest::newRow("Qt (macOS, Windows)") << QStringLiteral("qt");
    }

    void trashAndRestore()
    {
        QFETCH(QString, kind);
        const auto trash = makeTrash(kind);
        const QString path = copyFixture(QStringLiteral("full.jpg"), kStem + QStringLiteral(".jpg"));
        const QByteArray hash = sha256(path);

        const auto trashed = trash->moveToTrash(path);
        QVERIFY2(trashed, qPrintable(trashed ? QString() : trashed.error().message));
        QVERIFY(!QFile::exists(path));
        QVERIFY2(trashed->startsWith(m_home.filePath(QStringLiteral("data/Trash/files/"))), qPrintable(*trashed));
        QCOMPARE(sha256(*trashed), hash);
        const QString info = m_home.filePath(QStringLiteral("data/Trash/info/")) + QFileInfo(*trashed).fileName()
                           + QStringLiteral(".trashinfo");
        QVERIFY(QFile::exists(info));

        // Refused while a file of that name is back; nothing moves.
        QVERIFY(QFile::copy(QStringLiteral(MT_FIXTURE_DIR "/orient6.jpg"), path));
        const Status refused = trash->restore(*trashed, path);
        QVERIFY(!refused);
        QVERIFY(QFile::exists(*trashed));
        QVERIFY(QFile::remove(path));

        const Status restored = trash->restore(*trashed, path);
        QVERIFY2(restored, qPrintable(restored ? QString() : restored.error().message));
        QCOMPARE(sha256(path), hash);
        QVERIFY(!QFile::exists(*trashed));
        if (kind == QLatin1String("freedesktop"))
            QVERIFY(!QFile::exists(info)); // the trash no longer lists it
        else
            QFile::remove(info); // Qt's own bookkeeping on Linux, which the generic trash leaves alone

        const Status again = trash->restore(*trashed, path + QStringLiteral(".other"));
        QVERIFY(!again);
        QCOMPARE(again.error().code, Error::Code::NotFound);
    }

    // The probe agrees with what the folder does with a name in other case.
    void caseInsensitivityIsProbed()
    {
        const QString folder = m_home.filePath(QStringLiteral("case"));
        QVERIFY(QDir().mkpath(folder));
        QFile f(QDir(folder).filePath(QStringLiteral("lower.txt")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const bool foldsCase = QFile::exists(QDir(folder).filePath(QStringLiteral("LOWER.TXT")));
        QCOMPARE(FileNameCase::isCaseInsensitive(folder), foldsCase);
        QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QStringLiteral("lower.txt")}); // the probe is gone
        QVERIFY(!FileNameCase::isCaseInsensitive(m_home.filePath(QStringLiteral("no such folder"))));
    }

    void collisionKeys_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("caseInsensitive");
        QTest::addColumn<bool>("collide");
        QTest::newRow("case, sensitive FS") << QStringLiteral("IMG_1.JPG.png") << QStringLiteral("img_1.jpg.png") << false << false;
        QTest::newRow("case, insensitive FS") << QStringLiteral("IMG_1.JPG.png") << QStringLiteral("img_1.jpg.png") << true << true;
        QTest::newRow("accents in other case") << QStringLiteral("ÄÖ 日本.png") << QStringLiteral("äö 日本.png") << true << true;
        QTest::newRow("NFC and NFD") << QStringLiteral("Caf\u00e9.png") << QStringLiteral("Cafe\u0301.png") << true << true;
        QTest::newRow("different names") << QStringLiteral("a.png") << QStringLiteral("b.png") << true << false;
    }

    void collisionKeys()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, caseInsensitive);
        QFETCH(bool, collide);
        QCOMPARE(FileNameCase::collisionKey(a, caseInsensitive) == FileNameCase::collisionKey(b, caseInsensitive), collide);
    }
};

QTEST_GUILESS_MAIN(TestPlatformLayer)
#include "tst_platform_layer.moc"
