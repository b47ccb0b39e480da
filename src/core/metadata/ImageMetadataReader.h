#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

namespace mt {

// Photo metadata: Exiv2 for JPEG/PNG/GIF/WebP; libheif (size after irot, the Exif block) parsed
// by Exiv2 for HEIC/HEIF/AVIF. Thread-safe: each call uses its own decoder objects.
class ImageMetadataReader {
public:
    static Result<MediaMetadata> read(const MediaItem &item);
};

} // namespace mt
