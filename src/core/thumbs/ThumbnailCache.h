#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QImage>
#include <QString>

#include <optional>

namespace mt {

// What the cache needs to know about an original file; captured before generating, so a file
// that changes meanwhile gets a thumbnail that is already stale (and is redone), never one that
// looks current but shows the old content.
struct SourceFile {
    QString path; // absolute
    QString uri;  // file:// URI, the cache key
    qint64 mtime = 0; // seconds since the epoch, as Thumb::MTime stores it
    qint64 size = 0;
    QString mime;

    static std::optional<SourceFile> stat(const QString &path);
};

struct CachedThumbnail {
    QString file; // the PNG in the cache
    QSize size;   // of the thumbnail image
};

// The freedesktop.org Thumbnail Managing Standard cache, shared with file managers and image
// viewers: $XDG_CACHE_HOME/thumbnails/{normal,large,x-large,xx-large}/<md5 of URI>.png, each
// carrying Thumb::URI and Thumb::MTime so a changed original is noticed, and fail/<program>/
// records so a broken file is not retried on every scroll. Thumbnails other programs made are
// used as they are. Thread-safe: every call works on the file system only, and writes are atomic.
class ThumbnailCache {
public:
    // `root` is the "thumbnails" folder; by default the platform's (ThumbnailCacheLocation:
    // $XDG_CACHE_HOME/thumbnails on Linux, the app's cache folder on macOS and Windows).
    explicit ThumbnailCache(QString root = defaultRoot());

    static QString defaultRoot();
    static QString uriFor(const QString &absolutePath);
    static QString fileNameFor(const QString &uri); // "<md5>.png"
    static QString folderFor(int size);             // "large" for 256; empty for non-standard sizes
    static QString failureFolderName();             // "mediatriage-<version>"

    const QString &root() const { return m_root; }
    QString thumbnailPath(const QString &uri, int size) const;
    QString failurePath(const QString &uri) const;

    // A valid thumbnail of exactly this standard size, checked against the source's URI and
    // mtime from the PNG's text chunks without decoding its pixels.
    std::optional<CachedThumbnail> find(const SourceFile &source, int size) const;
    // A valid thumbnail from a larger size's folder, decoded (another program may have made only
    // that one; shrinking it beats decoding the original).
    std::optional<QImage> findLarger(const SourceFile &source, int size) const;

    // Writes the thumbnail with the standard's metadata; returns the cache file.
    Result<QString> store(const SourceFile &source, int size, const QImage &image) const;

    // The stored failure message when this exact version of the file failed before.
    std::optional<QString> failure(const SourceFile &source) const;
    Status storeFailure(const SourceFile &source, const QString &message) const;

private:
    Status writeAtomically(const QString &path, const QImage &image) const;

    QString m_root;
};

} // namespace mt
