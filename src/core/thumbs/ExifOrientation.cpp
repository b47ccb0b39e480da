#include "thumbs/ExifOrientation.h"

#include <QTransform>

namespace mt {

QImage applyExifOrientation(QImage image, int orientation)
{
    const auto rotated = [](const QImage &img, int degrees) { return img.transformed(QTransform().rotate(degrees)); };
    switch (orientation) {
    case 2: return image.mirrored(true, false);
    case 3: return rotated(image, 180);
    case 4: return image.mirrored(false, true);
    case 5: return rotated(image, 90).mirrored(true, false);  // transpose
    case 6: return rotated(image, 90);
    case 7: return rotated(image, 270).mirrored(true, false); // transverse
    case 8: return rotated(image, 270);
    default: return image;
    }
}

} // namespace mt
