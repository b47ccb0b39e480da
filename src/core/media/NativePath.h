#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QString>
#include <QStringList>

namespace mt {

// File names as the operating system stores them. On Linux a name is bytes and need not be valid
// UTF-8 (old archives, memory cards written elsewhere); Qt 6 leaves such files out of QDir listings
// and maps every QString back to UTF-8, so they could be neither found nor opened. Such a name is
// carried in a QString with each byte that is not UTF-8 as the lone surrogate U+DC00 + byte (like
// Python's "surrogateescape"), which no valid name decodes to, and every file access that starts
// from a path goes through this class. Valid names are ordinary QStrings and take Qt's own paths.
// One implementation per platform (NativePath_posix.cpp, NativePath_win.cpp; Windows names are
// UTF-16 and Qt handles them), chosen in CMake; the escape coding itself is portable.
class NativePath {
    Q_DECLARE_TR_FUNCTIONS(NativePath)
public:
    struct Status {
        bool exists = false;
        bool isDir = false;
        bool isFile = false;
        bool readable = false;
        qint64 size = 0;
        QDateTime modified;
    };
    struct Listing {
        QStringList files; // full paths, regular files (and links to them)
        QStringList dirs;  // full paths, folders (and links to them), without "." and ".."
    };

    // OS bytes → QString, escaping bytes that are not UTF-8; and back, exactly.
    static QString fromNative(const QByteArray &bytes);
    static QByteArray toNative(const QString &path);
    // True when `path` holds escaped bytes, i.e. Qt's own file functions would reach another file.
    static bool isEscaped(const QString &path);
    // The bytes to hand a C library (FFmpeg, Exiv2) that opens files by name.
    static QByteArray forCLibrary(const QString &path);

    static Status status(const QString &path);
    // Links and ".." resolved; empty when the path does not exist.
    static QString canonicalPath(const QString &path);
    static Listing list(const QString &folder);
    // Opens `file` on `path` (QFile::open semantics); the Error says why not.
    static mt::Status open(QFile &file, const QString &path, QIODevice::OpenMode mode);
    static bool rename(const QString &from, const QString &to);
    static bool remove(const QString &path);
    // Moves to the system trash; returns where the file went.
    static Result<QString> moveToTrash(const QString &path);

private:
    // Qt's own functions, for every name they can express (NativePath.cpp).
    static Status statusWithQt(const QString &path);
    static mt::Status openWithQt(QFile &file, const QString &path, QIODevice::OpenMode mode);
    static Result<QString> moveToTrashWithQt(const QString &path);
};

} // namespace mt
