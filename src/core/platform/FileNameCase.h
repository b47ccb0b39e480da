#pragma once

#include <QString>

namespace mt {

// Whether a folder tells file names apart by case. Not a property of the OS: macOS volumes are
// case-insensitive by default but may not be, Windows folders can be made case-sensitive, and
// Linux has case-folding ext4 folders and FAT/exFAT memory cards. So it is asked of the folder.
class FileNameCase {
public:
    // Probes `folder` with a temporary file: true when its name in other case reaches it. A folder
    // that cannot be written to is reported as case-sensitive (nothing will be written there).
    static bool isCaseInsensitive(const QString &folder);
    // The key under which two names that reach the same file in `folder` are equal.
    static QString collisionKey(const QString &fileName, bool caseInsensitive);
};

} // namespace mt
