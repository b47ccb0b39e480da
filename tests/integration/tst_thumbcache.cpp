#include "thumbs/ThumbnailCache.h"
#include "thumbs/ThumbnailProvider.h"

#include "tst_thumb_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

#include <sys/stat.h>

using mt::SourceFile;
using mt::ThumbnailCache;
using mt::ThumbnailProvider;
using namespace thumbtest;

namespace {

QString writeImage(const QString &path, QColor colour, QSize size = QSize(600, 400))
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    if (!image.save(path, "JPEG", 95))
        return {};
    return path;
}

void setMTime(const QString &path, const QDateTime &when)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(when, QFileDevice::FileModificationTime));
}

mode_t modeOf(const QString &path)
{
    struct stat st {};
    ::stat(QFile::encodeName(path).constData(), &st);
    return st.st_mode & 0777;
}

} // namespace

class TestThumbnailCache : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;

    QString mediaPath(const QString &name) const { return m_dir.filePath(QStringLiteral("media/") + name); }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).removeRecursively();
        QVERIFY(QDir().mkpath(m_dir.filePath("media")));
        m_root = m_dir.filePath("cache/thumbnails");
    }

    // The standard's own example: file:///home/jens/photos/me.png.
    void nameIsMd5OfUri()
    {
        QCOMPARE(ThumbnailCache::uriFor("/home/jens/photos/me.png"), QStringLiteral("file:///home/jens/photos/me.png"));
        QCOMPARE(ThumbnailCache::fileNameFor("file:///home/jens/photos/me.png"),
                 QStringLiteral("c6ee772d9e49320e97ec29a7eb5b1697.png"));
        // Spaces and non-ASCII are percent-encoded UTF-8, as GLib writes them.
        QCOMPARE(ThumbnailCache::uriFor(QStringLiteral("/tmp/Été 2024/a#b.jpg")),
                 QStringLiteral("file:///tmp/%C3%89t%C3%A9%202024/a%23b.jpg"));
    }

    void folders()
    {
        QCOMPARE(ThumbnailCache::folderFor(128), QStringLiteral("normal"));
        QCOMPARE(ThumbnailCache::folderFor(256), QStringLiteral("large"));
        QCOMPARE(ThumbnailCache::folderFor(512), QStringLiteral("x-large"));
        QCOMPARE(ThumbnailCache::folderFor(1024), QStringLiteral("xx-large"));
        QCOMPARE(ThumbnailCache::folderFor(300), QString());
        QVERIFY(ThumbnailCache::failureFolderName().startsWith("mediatriage-"));
    }

    void defaultRootHonoursXdgCacheHome()
    {
        const QByteArray old = qgetenv("XDG_CACHE_HOME");
        qputenv("XDG_CACHE_HOME", QFile::encodeName(m_dir.filePath("xdg")));
        const QString root = ThumbnailCache::defaultRoot();
        qputenv("XDG_CACHE_HOME", old);
        QCOMPARE(root, m_dir.filePath("xdg") + "/thumbnails");
    }

    void storeWritesTheStandardFile()
    {
        const QString photo = writeImage(mediaPath("red.jpg"), Qt::red);
        const ThumbnailProvider provider{ThumbnailCache(m_root)};
        const auto thumb = provider.get(photo, 256);
        QVERIFY2(thumb.ok(), qPrintable(thumb.ok() ? QString() : thumb.error().message));
        QVERIFY(!thumb->fromCache);
        const QString uri = ThumbnailCache::uriFor(photo);
        const QString expected = m_root + "/large/" + ThumbnailCache::fileNameFor(uri);
        QCOMPARE(thumb->file, expected);
        QCOMPARE(thumb->size, QSize(256, 171));
        QCOMPARE(QImageReader(expected).format(), QByteArray("png"));
        // Read back by a full decode (QImageReader::text() mangles keys containing "::").
        const QImage stored(expected);
        QCOMPARE(stored.text("Thumb::URI"), uri);
        QCOMPARE(stored.text("Thumb::MTime"), QString::number(QFileInfo(photo).lastModified().toSecsSinceEpoch()));
        QCOMPARE(stored.text("Thumb::Size"), QString::number(QFileInfo(photo).size()));
        QCOMPARE(modeOf(expected), mode_t(0600));
        QCOMPARE(modeOf(m_root + "/large"), mode_t(0700));
        // Written via a temporary file that was renamed: nothing else is left in the folder.
        QCOMPARE(QDir(m_root + "/large").entryList(QDir::Files | QDir::Hidden), QStringList{QFileInfo(expected).fileName()});
        QVERIFY(near(QImage(expected).pixelColor(10, 10), Qt::red, 10));
    }

    void hitThenTouchInvalidates()
    {
        const QString photo = writeImage(mediaPath("photo.jpg"), Qt::red);
        const ThumbnailProvider provider{ThumbnailCache(m_root)};
        const auto first = provider.get(photo, 128);
        QVERIFY(first.ok());
        QVERIFY(!first->fromCache);
        const auto second = provider.get(photo, 128, {}, ThumbnailProvider::Pixels::FileOnly);
        QVERIFY(second.ok());
        QVERIFY(second->fromCache);
        QVERIFY(second->image.isNull()); // no pixels decoded for a file-only hit
        QCOMPARE(second->file, first->file);
        const auto third = provider.get(photo, 128);
        QVERIFY(third->fromCache);
        QVERIFY(near(third->image.pixelColor(5, 5), Qt::red, 10));

        // Same size on disk, new content, new mtime: the old thumbnail must not be shown.
        writeImage(photo, Qt::blue);
        setMTime(photo, QFileInfo(photo).lastModified().addSecs(30));
        const auto fourth = provider.get(photo, 128);
        QVERIFY(fourth.ok());
        QVERIFY(!fourth->fromCache);
        QVERIFY(near(fourth->image.pixelColor(5, 5), Qt::blue, 10));
        QVERIFY(provider.get(photo, 128)->fromCache);

        // Only touched: still a new mtime, still regenerated.
        setMTime(photo, QFileInfo(photo).lastModified().addSecs(30));
        QVERIFY(!provider.get(photo, 128)->fromCache);
    }

    void failuresAreRememberedUntilTheFileChanges()
    {
        const QString broken = mediaPath("broken.jpg");
        {
            QFile f(broken);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("\xFF\xD8\xFF\xE0 this is no JPEG at all, just bytes");
        }
        const ThumbnailCache cache(m_root);
        const ThumbnailProvider provider{cache};
        const auto first = provider.get(broken, 256);
        QVERIFY(!first.ok());
        const auto source = SourceFile::stat(broken);
        QVERIFY(source);
        const QString record = cache.failurePath(source->uri);
        QVERIFY(record.contains("/fail/mediatriage-"));
        QVERIFY(QFile::exists(record));
        QCOMPARE(cache.failure(*source), std::optional<QString>(first.error().message));

        // A second request is answered from the record, without decoding: prove it by giving the
        // record a message of our own.
        QVERIFY(cache.storeFailure(*source, QStringLiteral("remembered")).ok());
        const auto second = provider.get(broken, 256);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().message, QStringLiteral("remembered"));

        // Fixed (new content and mtime): tried again, and it works.
        writeImage(broken, Qt::green);
        setMTime(broken, QFileInfo(broken).lastModified().addSecs(60));
        const auto third = provider.get(broken, 256);
        QVERIFY2(third.ok(), qPrintable(third.ok() ? QString() : third.error().message));
        QVERIFY(!third->fromCache);
    }

    // Cancelled and timed-out attempts say nothing about the file and are not recorded.
    void cancellationIsNotAFailure()
    {
        const QString photo = writeImage(mediaPath("photo.jpg"), Qt::red);
        const ThumbnailProvider provider{ThumbnailCache(m_root)};
        mt::CancellationToken token;
        token.cancel();
        const auto thumb = provider.get(photo, 256, token);
        QVERIFY(!thumb.ok());
        QCOMPARE(thumb.error().code, mt::Error::Code::Cancelled);
        QVERIFY(!provider.cache().failure(*SourceFile::stat(photo)));
        QVERIFY(provider.get(photo, 256).ok());
    }

    // A thumbnail another program wrote (no Thumb::Size, its own software tag) is used as is.
    void reusesOtherProgramsThumbnail()
    {
        const QString photo = writeImage(mediaPath("photo.jpg"), Qt::red);
        const auto source = SourceFile::stat(photo);
        QImage theirs(256, 171, QImage::Format_ARGB32);
        theirs.fill(Qt::green);
        theirs.setText("Thumb::URI", source->uri);
        theirs.setText("Thumb::MTime", QString::number(source->mtime));
        theirs.setText("Software", "GNOME::ThumbnailFactory");
        QVERIFY(QDir().mkpath(m_root + "/large"));
        const QString path = m_root + "/large/" + ThumbnailCache::fileNameFor(source->uri);
        QVERIFY(theirs.save(path));
        const ThumbnailProvider provider{ThumbnailCache(m_root)};
        const auto thumb = provider.get(photo, 256);
        QVERIFY(thumb.ok());
        QVERIFY(thumb->fromCache);
        QVERIFY(near(thumb->image.pixelColor(5, 5), Qt::green, 5));

        // With a stale MTime it is ignored and replaced.
        theirs.setText("Thumb::MTime", QString::number(source->mtime - 100));
        QVERIFY(theirs.save(path));
        const auto redone = provider.get(photo, 256);
        QVERIFY(!redone->fromCache);
        QVERIFY(near(redone->image.pixelColor(5, 5), Qt::red, 10));
    }

    // Only an xx-large thumbnail exists (from another program): shrinking it beats decoding.
    void largerSizeIsShrunk()
    {
        const QString photo = writeImage(mediaPath("photo.jpg"), Qt::red, QSize(2000, 1000));
        const auto source = SourceFile::stat(photo);
        QImage theirs(1024, 512, QImage::Format_RGB32);
        theirs.fill(Qt::green);
        theirs.setText("Thumb::URI", source->uri);
        theirs.setText("Thumb::MTime", QString::number(source->mtime));
        QVERIFY(QDir().mkpath(m_root + "/xx-large"));
        QVERIFY(theirs.save(m_root + "/xx-large/" + ThumbnailCache::fileNameFor(source->uri)));
        const ThumbnailProvider provider{ThumbnailCache(m_root)};
        const auto thumb = provider.get(photo, 128);
        QVERIFY(thumb.ok());
        QCOMPARE(thumb->size, QSize(128, 64));
        QVERIFY(near(thumb->image.pixelColor(5, 5), Qt::green, 5));
        QVERIFY(provider.get(photo, 128)->fromCache);
    }

    void nonStandardSizeIsRejected()
    {
        const QString photo = writeImage(mediaPath("photo.jpg"), Qt::red);
        const auto thumb = ThumbnailProvider{ThumbnailCache(m_root)}.get(photo, 300);
        QVERIFY(!thumb.ok());
        QCOMPARE(thumb.error().code, mt::Error::Code::InvalidArgument);
    }

    void unwritableCacheIsAClearError()
    {
        const QString photo = writeImage(mediaPath("photo.jpg"), Qt::red);
        // A file where the cache folder should be: mkpath fails for root too.
        QFile blocker(m_dir.filePath("blocked"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const auto thumb = ThumbnailProvider{ThumbnailCache(m_dir.filePath("blocked/thumbnails"))}.get(photo, 128);
        QVERIFY(!thumb.ok());
        QCOMPARE(thumb.error().code, mt::Error::Code::Io);
        QVERIFY(thumb.error().message.contains("thumbnail folder"));
    }

    // Many writers of the same thumbnail at once (two windows, two programs): the file is
    // always a complete PNG and no temporary files are left behind.
    void concurrentWritersLeaveOneValidFile()
    {
        const QString photo = writeImage(mediaPath("photo.jpg"), Qt::red);
        const ThumbnailCache cache(m_root);
        const auto source = SourceFile::stat(photo);
        QImage image(256, 171, QImage::Format_RGB32);
        image.fill(Qt::red);
        QList<QFuture<bool>> futures;
        for (int i = 0; i < 16; ++i)
            futures.append(QtConcurrent::run([&] { return cache.store(*source, 256, image).ok(); }));
        for (auto &f : futures)
            QVERIFY(f.result());
        QCOMPARE(QDir(m_root + "/large").entryList(QDir::Files | QDir::Hidden).size(), 1);
        QVERIFY(cache.find(*source, 256));
        QCOMPARE(QImage(cache.thumbnailPath(source->uri, 256)).size(), QSize(256, 171));
    }
};

QTEST_GUILESS_MAIN(TestThumbnailCache)
#include "tst_thumbcache.moc"
