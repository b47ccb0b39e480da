#pragma once

#include "common/Cancellation.h"
#include "media/MediaItem.h"

#include <QStringList>

#include <vector>

namespace mt {

struct ScanOptions {
    bool recursive = false;
};

// Finds the photos and videos in folders. Hidden files and dot-folders are skipped, symlinked
// folders are followed at most once (so loops end), and each folder's files come in natural
// order ("IMG_2" before "IMG_10") before its subfolders. Every file with a supported extension
// becomes an item, even when its content turns out to be unreadable (then with an error). A RAW
// with a JPEG of the same name is one item, the JPEG's (see mergeRawCompanions).
class FolderScanner {
public:
    explicit FolderScanner(ScanOptions options = {}) : m_options(options) {}

    std::vector<MediaItem> scanFolder(const QString &folder, const CancellationToken &token = {}) const;

    // Command-line style input: folders are scanned, files are inspected whatever their
    // extension (the user named them), missing paths become items with an error.
    std::vector<MediaItem> scanPaths(const QStringList &paths, const CancellationToken &token = {}) const;

private:
    ScanOptions m_options;
};

} // namespace mt
