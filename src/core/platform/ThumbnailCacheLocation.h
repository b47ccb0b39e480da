#pragma once

#include <QString>

namespace mt {

// Where the thumbnail cache's "thumbnails" folder is (normal/, large/, ... and fail/ inside, the
// same PNG + Thumb::* format everywhere; see ThumbnailCache).
struct ThumbnailCacheLocation {
    // $XDG_CACHE_HOME/thumbnails (default ~/.cache/thumbnails): the freedesktop.org cache that file
    // managers and image viewers on Linux and the BSDs share (ThumbnailCacheLocation_freedesktop.cpp).
    static QString freedesktop();
    // The application's own cache folder (QStandardPaths::CacheLocation)/thumbnails: on macOS and
    // Windows nothing reads a freedesktop cache, so it belongs with the app's other caches
    // (~/Library/Caches/..., %LOCALAPPDATA%\...\cache) where the system may clean it. The app
    // and the CLI set the same organisation and application names, so they share it.
    static QString appCache();
    // The one this platform uses (Platform_<os>.cpp).
    static QString platform();
};

} // namespace mt
