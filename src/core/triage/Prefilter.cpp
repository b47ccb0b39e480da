#include "triage/Prefilter.h"

#include "metadata/MetadataReader.h"
#include "quality/MediaGrouper.h"

#include <QFileInfo>
#include <QHash>
#include <QtConcurrent/QtConcurrentMap>

namespace mt {

std::optional<QString> Prefilter::accidentalClip(MediaKind kind, std::optional<double> durationSeconds, double minSeconds)
{
    if (kind != MediaKind::Video || !durationSeconds || *durationSeconds >= minSeconds)
        return std::nullopt;
    return tr("accidental clip: %1 s").arg(*durationSeconds, 0, 'f', 1);
}

std::vector<int> Prefilter::exactDuplicateLeaders(const std::vector<QString> &hashes, const std::vector<bool> &eligible)
{
    std::vector<int> leaderOf(hashes.size(), -1);
    QHash<QString, int> first;
    for (size_t i = 0; i < hashes.size(); ++i) {
        if (i >= eligible.size() || !eligible[i] || hashes[i].isEmpty())
            continue;
        if (const int leader = first.value(hashes[i], -1); leader >= 0)
            leaderOf[i] = leader;
        else
            first.insert(hashes[i], int(i));
    }
    return leaderOf;
}

int Prefilter::rootOf(const std::vector<int> &leaderOf, int index)
{
    // Bounded walk: a malformed table (a cycle) must not hang a run.
    for (size_t steps = 0; steps <= leaderOf.size() && leaderOf[size_t(index)] >= 0; ++steps)
        index = leaderOf[size_t(index)];
    return index;
}

QString Prefilter::followerReason(bool liveClip, const QString &leaderFileName, const QString &leaderReason)
{
    return liveClip ? tr("Live Photo motion clip of %1: %2").arg(leaderFileName, leaderReason)
                    : tr("identical to %1: %2").arg(leaderFileName, leaderReason);
}

void Prefilter::discardExactCopies(std::vector<TriageItemResult> &items)
{
    QHash<QString, qsizetype> byPath;
    for (qsizetype i = 0; i < qsizetype(items.size()); ++i)
        byPath.insert(items[size_t(i)].path, i);
    // Keepers first: a keeper that shared a copy's verdict gets it back in its own words before
    // that copy's verdict is replaced.
    for (TriageItemResult &r : items) {
        if (!r.group || r.group->kind != GroupKind::Exact || !r.group->best || r.identicalTo.isEmpty())
            continue;
        const qsizetype lead = byPath.value(r.identicalTo, -1);
        if (lead >= 0 && items[size_t(lead)].group && items[size_t(lead)].group->id == r.group->id) {
            r.reason = items[size_t(lead)].reason;
            r.source = items[size_t(lead)].source;
            r.identicalTo.clear();
        }
    }
    for (TriageItemResult &r : items) {
        if (!r.group || r.group->kind != GroupKind::Exact || r.group->best || r.verdict == VerdictKind::Error)
            continue;
        r.verdict = VerdictKind::Discard;
        r.reason = quality::MediaGrouper::exactCopyReason(QFileInfo(r.group->keeperPath).fileName());
        r.source = VerdictSource::Prefilter;
        const qsizetype keeper = byPath.value(r.group->keeperPath, -1);
        const bool sameBytes = keeper >= 0 && !r.contentHash.isEmpty() && items[size_t(keeper)].contentHash == r.contentHash;
        r.identicalTo = sameBytes ? r.group->keeperPath : QString();
    }
}

void Prefilter::groupWithoutPixels(std::vector<TriageItemResult> &results, const std::vector<MediaItem> &items,
                                   const CancellationToken &token)
{
    std::vector<size_t> indexOf;
    for (size_t i = 0; i < results.size() && i < items.size(); ++i)
        if (!results[i].error && results[i].livePhotoOf.isEmpty() && items[i].path == results[i].path)
            indexOf.push_back(i);
    const QList<std::optional<MediaMetadata>> metadata = QtConcurrent::blockingMapped<QList<std::optional<MediaMetadata>>>(
        indexOf, [&](size_t i) -> std::optional<MediaMetadata> {
            if (token.isCancelled())
                return std::nullopt;
            auto md = readMetadata(items[i]);
            return md ? std::optional<MediaMetadata>(*md) : std::nullopt;
        });
    std::vector<quality::GroupCandidate> candidates;
    for (qsizetype k = 0; k < metadata.size(); ++k) {
        const size_t i = indexOf[size_t(k)];
        const auto &md = metadata[k];
        candidates.push_back(quality::groupCandidate(items[i], md ? &*md : nullptr, nullptr, results[i].contentHash));
    }
    const auto groups = quality::MediaGrouper::itemGroups(quality::MediaGrouper().group(candidates), candidates);
    for (size_t k = 0; k < groups.size(); ++k)
        results[indexOf[k]].setGroup(groups[k]);
    discardExactCopies(results);
}

} // namespace mt
