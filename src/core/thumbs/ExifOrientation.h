#pragma once

#include <QImage>

namespace mt {

// Turns an image stored as the sensor saw it into the upright picture, for EXIF orientation
// 1..8 (anything else leaves it as it is). For decoders that do not do it themselves: embedded
// RAW previews are stored unrotated and only the RAW's IFD0 says how to turn them.
QImage applyExifOrientation(QImage image, int orientation);

} // namespace mt
