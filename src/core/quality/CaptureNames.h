#pragma once

#include <QString>

#include <optional>

namespace mt::quality {

// What a file name says about how the file came to be. Pure functions over the name alone (no
// folder, with or without extension); results are case folded so they compare across cameras.
struct CaptureNames {
    // The name without its extension and without a copy marker a file manager or a download adds:
    // "IMG_4120 (1).JPG", "IMG_4120 copy.JPG", "IMG_4120 - Copy (2).jpg", "Copy of IMG_4120.jpg"
    // all give "img_4120".
    static QString stem(const QString &fileName);
    // The name carries such a copy marker, or is a messenger re-export (WhatsApp "IMG-…-WA0001"):
    // not the name the camera gave.
    static bool isCopyName(const QString &fileName);
    // For an edit, the stem of its original: Apple "IMG_E4120" → "img_4120", Google Photos
    // "PXL_20240501_101500123-edited" → "pxl_20240501_101500123". Empty when the name is not an edit's.
    static QString editedOriginalStem(const QString &fileName);
    // For a burst frame, what its burst shares: Google "…_BURST20190101123456789…" → that stamp,
    // Samsung "20240501_120000_001" / "20140101_120000_Burst01" → "20240501_120000". Empty otherwise.
    static QString burstKey(const QString &fileName);
};

} // namespace mt::quality
