#include "media/FolderScanner.h"

#include "common/NaturalSort.h"
#include "media/MediaType.h"
#include "media/NativePath.h"
#include "media/RawCompanions.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace mt {

namespace {

void sortNaturally(QStringList &paths)
{
    std::sort(paths.begin(), paths.end(), [](const QString &a, const QString &b) {
        return naturalLess(QStringView(a).mid(a.lastIndexOf(u'/') + 1), QStringView(b).mid(b.lastIndexOf(u'/') + 1));
    });
}

QString fileNameOf(const QString &path) { return path.mid(path.lastIndexOf(u'/') + 1); }

void scanDirectory(const QString &dirPath, bool recursive, QSet<QString> &visited,
                   std::vector<MediaItem> &out, const CancellationToken &token)
{
    if (token.isCancelled())
        return;
    const QString canonical = NativePath::canonicalPath(dirPath);
    if (canonical.isEmpty() || visited.contains(canonical))
        return; // dangling link, or a folder reached twice through links
    visited.insert(canonical);

    // NativePath lists names that are not UTF-8 too (QDir leaves them out). Dot-files are skipped
    // here; on Windows the listing already leaves out hidden-attribute files. Unreadable files are
    // listed too: inspectFile turns them into items that say so.
    NativePath::Listing listing = NativePath::list(dirPath);
    sortNaturally(listing.files);
    const QStringList &extensions = supportedExtensions();
    for (const QString &file : std::as_const(listing.files)) {
        const QString name = fileNameOf(file);
        const qsizetype dot = name.lastIndexOf(u'.');
        if (!name.startsWith(u'.') && dot > 0 && extensions.contains(name.mid(dot + 1).toLower()))
            out.push_back(inspectFile(file));
    }
    if (!recursive)
        return;
    sortNaturally(listing.dirs);
    for (const QString &sub : std::as_const(listing.dirs)) {
        if (fileNameOf(sub).startsWith(u'.'))
            continue;
        scanDirectory(sub, recursive, visited, out, token);
    }
}

} // namespace

std::vector<MediaItem> FolderScanner::scanFolder(const QString &folder, const CancellationToken &token) const
{
    std::vector<MediaItem> items;
    QSet<QString> visited;
    scanDirectory(folder, m_options.recursive, visited, items, token);
    mergeRawCompanions(items);
    return items;
}

std::vector<MediaItem> FolderScanner::scanPaths(const QStringList &paths, const CancellationToken &token) const
{
    std::vector<MediaItem> items;
    QSet<QString> visited;
    for (const QString &path : paths) {
        if (token.isCancelled())
            break;
        if (NativePath::status(path).isDir)
            scanDirectory(path, m_options.recursive, visited, items, token);
        else
            items.push_back(inspectFile(path));
    }
    mergeRawCompanions(items);
    return items;
}

} // namespace mt
