#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

namespace mt {

// Reads a scanned item's metadata with the reader for its kind. When the file names no capture
// time, the file's modification time stands in, marked as CaptureTime::Source::FileTime.
// Items that already carry a scan error return that error.
Result<MediaMetadata> readMetadata(const MediaItem &item);

} // namespace mt
