#include "triage/Prefilter.h"

#include <QHash>

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

} // namespace mt
