#pragma once

#include "media/MediaItem.h"

#include <vector>

namespace mt {

// A camera that saves RAW+JPEG writes one shot twice: IMG_0001.CR2 and IMG_0001.JPG. Such a pair
// (same folder, same base name, case folded) becomes one item: the JPEG (or HEIC) stays in the
// list, since it is what Gemini and the views can read directly, and the RAW moves into its
// `companions`. RAW files without a JPEG stay items of their own; unreadable files pair with
// nothing. The order of the remaining items is kept.
void mergeRawCompanions(std::vector<MediaItem> &items);

// Whether the item is a RAW or carries one (the grid's RAW badge).
bool hasRaw(const MediaItem &item);

} // namespace mt
