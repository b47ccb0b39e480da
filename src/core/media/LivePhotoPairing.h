#pragma once

#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QCoreApplication>
#include <QDateTime>
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
    // Apple's Live Photo identifier: the still's MakerNote ContentIdentifier, the clip's
    // com.apple.quicktime.content.identifier. Empty when the file has none.
    QString contentIdentifier;
    // Only when the file says its zone: a camera's local wall clock and a clip's UTC cannot be compared.
    std::optional<QDateTime> capturedAt;
};

struct LivePhotoPairs {
    std::vector<int> stillOf;   // for each candidate, the index of its still, or -1
    std::vector<QString> notes; // for each candidate, why it was not paired when it looked like it should be
};

// Live Photos: a clip is its still's motion, shares its verdict and is never judged as an
// "accidental short clip". Paired first by Apple's content identifier (the same UUID in both
// files, whatever they are named), else by base name (case folded, same folder) for a short clip
// taken when the still was. A clip whose identifier matches several stills is paired with the one
// of its own base name, or with none and a note saying which stills matched.
class LivePhotoPairing {
    Q_DECLARE_TR_FUNCTIONS(LivePhotoPairing)
public:
    static constexpr double kMaxSecondsApart = 10.0; // a Live Photo's clip spans its still's moment

    static LivePhotoPairs pair(const std::vector<PairingCandidate> &candidates, double maxClipSeconds);
};

// What pairing uses of a file's metadata (duration, identifier, a capture time with its zone).
PairingCandidate livePhotoCandidate(const MediaItem &item, const MediaMetadata &metadata, bool usable);

// The folder and base name that pairs a still with its clip ("/a/IMG_1234" for IMG_1234.HEIC).
QString livePhotoKey(const QString &path);

} // namespace mt
