#pragma once

#include "common/Result.h"

#include <QByteArrayView>

#include <optional>

namespace mt {

// Where the video of a Motion Photo sits inside the still's file.
struct EmbeddedClip {
    qint64 offset = 0;
    qint64 length = 0;
};

// Finds the MP4 that Android phones append to a JPEG or HEIC still ("Motion Photo"), from what
// announces it, most specific first:
//  - Google's Motion Photo XMP: `Container:Directory` items, laid out from the end of the file,
//    each `Item:Length` bytes of which the trailing `Item:Padding` are not the item's;
//  - the older `GCamera:MicroVideoOffset` (the video's distance from the end of the file);
//  - Samsung's trailer (SEF blocks indexed by "SEFH … SEFT" at the very end): the
//    `MotionPhoto_Data` block holds the MP4 in JPEGs, and points to the top-level 'mpvd' box
//    that holds it in HEICs.
// Returns no value for an ordinary photo, and an error when a video is announced but cannot be
// where it is said to be (a file cut short, a bad offset) or is not an MP4.
Result<std::optional<EmbeddedClip>> findEmbeddedClip(QByteArrayView file);

} // namespace mt
