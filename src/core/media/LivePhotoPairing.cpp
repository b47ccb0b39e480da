#include "media/LivePhotoPairing.h"

#include <QFileInfo>
#include <QHash>
#include <QSet>
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
    // A file time says when the file was copied, not when either half was taken.
    if (metadata.capturedAt && metadata.capturedAt->zoneKnown && metadata.capturedAt->source != CaptureTime::Source::FileTime)
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
    // Identifiers first: a still whose own clip was found by identifier takes no other by name.
    QSet<int> taken;
    std::vector<bool> decided(candidates.size(), false);
    for (size_t i = 0; i < candidates.size(); ++i) {
        const PairingCandidate &c = candidates[i];
        if (!c.usable || c.kind != MediaKind::Video || c.contentIdentifier.isEmpty())
            continue;
        const QList<int> byId = stillsById.value(c.contentIdentifier);
        const int byName = stillsByName.value(livePhotoKey(c.path), -1);
        if (byId.size() == 1 || (byId.size() > 1 && byId.contains(byName))) {
            out.stillOf[i] = byId.size() == 1 ? byId.front() : byName;
            taken.insert(out.stillOf[i]);
            decided[i] = true;
        } else if (byId.size() > 1) {
            QStringList names;
            for (int s : byId)
                names << QFileInfo(candidates[size_t(s)].path).fileName();
            out.notes[i] = tr("Live Photo identifier %1 is in %2 stills (%3): not paired, judged on its own")
                               .arg(c.contentIdentifier)
                               .arg(byId.size())
                               .arg(names.join(QStringLiteral(", ")));
            decided[i] = true;
        }
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
        const PairingCandidate &c = candidates[i];
        if (decided[i] || !c.usable || c.kind != MediaKind::Video || c.durationSeconds.value_or(0) > maxClipSeconds)
            continue;
        const int byName = stillsByName.value(livePhotoKey(c.path), -1);
        if (byName < 0 || taken.contains(byName))
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
