#include "media/LivePhotoPairing.h"

#include <QFileInfo>
#include <QHash>

namespace mt {

QString livePhotoKey(const QString &path)
{
    const QFileInfo info(path);
    return info.absolutePath() + QLatin1Char('/') + info.completeBaseName().toCaseFolded();
}

std::vector<int> pairLivePhotos(const std::vector<PairingCandidate> &candidates, double maxClipSeconds)
{
    std::vector<int> stillOf(candidates.size(), -1);
    QHash<QString, int> stills;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const PairingCandidate &c = candidates[i];
        if (c.usable && c.kind == MediaKind::Photo && !stills.contains(livePhotoKey(c.path)))
            stills.insert(livePhotoKey(c.path), int(i));
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
        const PairingCandidate &c = candidates[i];
        if (!c.usable || c.kind != MediaKind::Video || c.durationSeconds.value_or(0) > maxClipSeconds)
            continue;
        stillOf[i] = stills.value(livePhotoKey(c.path), -1);
    }
    return stillOf;
}

} // namespace mt
