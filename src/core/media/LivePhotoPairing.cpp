#include "media/LivePhotoPairing.h"

#include <QFileInfo>
#include <QHash>
#include <QStringList>

#include <cmath>

namespace mt {

QString livePhotoKey(const QString &path)
{
    const QFileInfo info(path);
    return info.absolutePath() + QLatin1Char('/') + info.completeBaseName().toCaseFolded();
}

PairingCandidate livePhotoCandidate(const MediaItem &item, const MediaMetadata &metadata, bool usable)
{
    PairingCandidate c{item.path, item.kind, metadata.durationSeconds, usable, metadata.contentIdentifier, std::nullopt};
    if (metadata.capturedAt && metadata.capturedAt->zoneKnown)
        c.capturedAt = metadata.capturedAt->dateTime;
    return c;
}

namespace {

bool takenApart(const PairingCandidate &still, const PairingCandidate &clip)
{
    return still.capturedAt && clip.capturedAt && still.capturedAt->isValid() && clip.capturedAt->isValid()
        && std::abs(double(still.capturedAt->secsTo(*clip.capturedAt))) > LivePhotoPairing::kMaxSecondsApart;
}

} // namespace

LivePhotoPairs LivePhotoPairing::pair(const std::vector<PairingCandidate> &candidates, double maxClipSeconds)
{
    LivePhotoPairs out{std::vector<int>(candidates.size(), -1), std::vector<QString>(candidates.size())};
    QHash<QString, int> stillsByName;
    QHash<QString, QList<int>> stillsById;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const PairingCandidate &c = candidates[i];
        if (!c.usable || c.kind != MediaKind::Photo)
            continue;
        if (!stillsByName.contains(livePhotoKey(c.path)))
            stillsByName.insert(livePhotoKey(c.path), int(i));
        if (!c.contentIdentifier.isEmpty())
            stillsById[c.contentIdentifier].append(int(i));
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
        const PairingCandidate &c = candidates[i];
        if (!c.usable || c.kind != MediaKind::Video)
            continue;
        const int byName = stillsByName.value(livePhotoKey(c.path), -1);
        const QList<int> byId = c.contentIdentifier.isEmpty() ? QList<int>() : stillsById.value(c.contentIdentifier);
        if (byId.size() == 1) {
            out.stillOf[i] = byId.front();
            continue;
        }
        if (byId.size() > 1) {
            if (byId.contains(byName)) {
                out.stillOf[i] = byName;
                continue;
            }
            QStringList names;
            for (int s : byId)
                names << QFileInfo(candidates[size_t(s)].path).fileName();
            out.notes[i] = tr("Live Photo identifier %1 is in %2 stills (%3): not paired, judged on its own")
                               .arg(c.contentIdentifier)
                               .arg(byId.size())
                               .arg(names.join(QStringLiteral(", ")));
            continue;
        }
        if (byName < 0 || c.durationSeconds.value_or(0) > maxClipSeconds)
            continue;
        const PairingCandidate &still = candidates[size_t(byName)];
        // Both carry an identifier and they differ: two moments that happen to share a name.
        const bool otherMoment = !c.contentIdentifier.isEmpty() && !still.contentIdentifier.isEmpty();
        if (!otherMoment && !takenApart(still, c))
            out.stillOf[i] = byName;
    }
    return out;
}

} // namespace mt
