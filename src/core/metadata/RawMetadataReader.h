#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QByteArrayView>
#include <QSize>

#include <optional>

namespace mt {

// Camera RAW metadata through Exiv2 (DNG, CR2, NEF, ARW, ORF, RW2, RAF) and, for CR3 (ISO BMFF,
// which never reaches Exiv2's box walkers), from the TIFF blocks in its CMT1/CMT2 boxes. The
// size is the picture a converter produces (what exiftool calls ImageSize), not the sensor's raw
// area: the makers keep it in different places, so each format is asked where it keeps it.
class RawMetadataReader {
public:
    static Result<MediaMetadata> read(const MediaItem &item);

    // The size in RAF's header (RawImageCroppedSize), which the Exif block (the preview's) lacks.
    static std::optional<QSize> rafCroppedSize(QByteArrayView file);
};

} // namespace mt
