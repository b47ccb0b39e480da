#include "media/FolderScanner.h"

#include "common/NaturalSort.h"
#include "media/MediaType.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace mt {

namespace {

void sortNaturally(QFileInfoList &list)
{
    std::sort(list.begin(), list.end(),
              [](const QFileInfo &a, const QFileInfo &b) { return naturalLess(a.fileName(), b.fileName()); });
}

void scanDirectory(const QString &dirPath, bool recursive, QSet<QString> &visited,
                   std::vector<MediaItem> &out, const CancellationToken &token)
{
    if (token.isCancelled())
        return;
    const QString canonical = QFileInfo(dirPath).canonicalFilePath();
    if (canonical.isEmpty() || visited.contains(canonical))
        return; // dangling link, or a folder reached twice through links
    visited.insert(canonical);

    const QDir dir(dirPath);
    // Without QDir::Hidden, dot-files (and on Windows, hidden-attribute files) are left out.
    // Unreadable files are listed too: inspectFile turns them into items that say so.
    QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot);
    sortNaturally(files);
    const QStringList &extensions = supportedExtensions();
    for (const QFileInfo &file : files) {
        if (!file.fileName().startsWith(u'.') && extensions.contains(file.suffix().toLower()))
            out.push_back(inspectFile(file.filePath()));
    }
    if (!recursive)
        return;
    QFileInfoList dirs = dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot);
    sortNaturally(dirs);
    for (const QFileInfo &sub : dirs) {
        if (sub.fileName().startsWith(u'.'))
            continue;
        scanDirectory(sub.filePath(), recursive, visited, out, token);
    }
}

} // namespace

std::vector<MediaItem> FolderScanner::scanFolder(const QString &folder, const CancellationToken &token) const
{
    std::vector<MediaItem> items;
    QSet<QString> visited;
    scanDirectory(folder, m_options.recursive, visited, items, token);
    return items;
}

std::vector<MediaItem> FolderScanner::scanPaths(const QStringList &paths, const CancellationToken &token) const
{
    std::vector<MediaItem> items;
    QSet<QString> visited;
    for (const QString &path : paths) {
        if (token.isCancelled())
            break;
        const QFileInfo info(path);
        if (info.isDir())
            scanDirectory(path, m_options.recursive, visited, items, token);
        else
            items.push_back(inspectFile(path));
    }
    return items;
}

} // namespace mt
