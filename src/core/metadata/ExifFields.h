#pragma once

#include "metadata/MediaMetadata.h"

#include <exiv2/exiv2.hpp>

namespace mt {

// The Exif → MediaMetadata mapping ImageMetadataReader uses, shared with the RAW reader so a
// camera's fields mean the same whatever the container.
void fillExifFields(const Exiv2::ExifData &exif, MediaMetadata &md);

// Exiv2's one-time set-up (XMP parser, muted log), safe from any thread.
void initialiseExiv2();

} // namespace mt
