#pragma once

namespace mt {

// How a C library that opens files itself (FFmpeg's demuxers, Exiv2) is handed one.
enum class CFileAccess {
    // By name: the name's bytes (NativePath::forCLibrary). Right where names are bytes or UTF-8
    // and the library opens them as such: Linux, macOS.
    ByName,
    // Qt opens the file (NativePath::open) and the library reads through it: FFmpeg from an
    // AVIOContext, Exiv2 from the mapped bytes. Needed on Windows, where a library's fopen/_open
    // of a char* name goes through the ANSI code page and cannot reach "Straße 日本.heic".
    ThroughQt,
};

// The platform's choice (Platform_linux.cpp, Platform_mac.cpp, Platform_win.cpp).
CFileAccess platformCFileAccess();

// What the readers use: the platform's choice unless a ScopedCFileAccess says otherwise.
CFileAccess cFileAccess();

// Makes every reader in the process use `access` while it lives, so the tests on Linux run the
// Windows path (ThroughQt) through the same thumbnailers and metadata readers. Not for product code.
class ScopedCFileAccess {
public:
    explicit ScopedCFileAccess(CFileAccess access);
    ~ScopedCFileAccess();
    ScopedCFileAccess(const ScopedCFileAccess &) = delete;
    ScopedCFileAccess &operator=(const ScopedCFileAccess &) = delete;

private:
    int m_previous;
};

} // namespace mt
