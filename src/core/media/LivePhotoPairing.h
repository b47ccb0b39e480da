#pragma once

#include "media/MediaItem.h"

#include <QString>

#include <optional>
#include <vector>

namespace mt {

// What pairing needs to know of one item.
struct PairingCandidate {
    QString path;
    MediaKind kind = MediaKind::Photo;
    std::optional<double> durationSeconds; // videos; unknown counts as short
    bool usable = true;                    // unreadable items pair with nothing
};

// Live Photos: a short clip next to a still of the same base name (case folded, same folder) is
// that still's motion and shares its verdict, never judged as an "accidental short clip".
// Returns, for each candidate, the index of its still, or -1.
std::vector<int> pairLivePhotos(const std::vector<PairingCandidate> &candidates, double maxClipSeconds);

// The folder and base name that pairs a still with its clip ("/a/IMG_1234" for IMG_1234.HEIC).
QString livePhotoKey(const QString &path);

} // namespace mt
