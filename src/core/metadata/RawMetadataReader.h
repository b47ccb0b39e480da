#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QByteArrayView>
#include <QSize>

#include <exiv2/exif.hpp>

#include <optional>

namespace mt {

// Camera RAW metadata through Exiv2 (DNG, CR2, NEF, ARW, ORF, RW2, RAF) and, for CR3 (ISO BMFF,
// which never reaches Exiv2's box walkers), from the TIFF blocks in its CMT1/CMT2 boxes. The
// size is the picture a converter produces (what exiftool calls ImageSize), not the sensor's raw
// area: the makers keep it in different places, so each format is asked where it keeps it.
class RawMetadataReader {
public:
    static Result<MediaMetadata> read(const MediaItem &item);

    // A CR3's Exif: IFD0 from its 'CMT1' TIFF block, the Exif IFD (group Photo) from 'CMT2'. A
    // damaged block loses only its own tags; none found gives an empty set.
    static Exiv2::ExifData cr3Exif(QByteArrayView file);

    // The size in RAF's header (RawImageCroppedSize), which the Exif block (the preview's) lacks.
    static std::optional<QSize> rafCroppedSize(QByteArrayView file);
};

} // namespace mt
