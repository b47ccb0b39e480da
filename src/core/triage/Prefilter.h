#pragma once

#include "common/Cancellation.h"
#include "media/MediaItem.h"
#include "triage/Verdict.h"

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <vector>

namespace mt {

// Decisions made before any engine looks at the pixels. Pure functions: the session applies them.
class Prefilter {
    Q_DECLARE_TR_FUNCTIONS(Prefilter)
public:
    // A clip shorter than `minSeconds` is an accidental recording; the reason when it is, else empty.
    static std::optional<QString> accidentalClip(MediaKind kind, std::optional<double> durationSeconds, double minSeconds);

    // For each item, the index of the first earlier item with the same content hash, or -1.
    // Items that are not `eligible` (unreadable, already following another) neither lead nor follow.
    static std::vector<int> exactDuplicateLeaders(const std::vector<QString> &hashes, const std::vector<bool> &eligible);

    // The leader at the end of a chain of followers (a clip of a copy of a still).
    static int rootOf(const std::vector<int> &leaderOf, int index);

    // The reason a follower (a Live Photo clip, or a byte-identical copy) shows: its leader's.
    static QString followerReason(bool liveClip, const QString &leaderFileName, const QString &leaderReason);

    // The one group rule that decides a verdict: every member of an `exact` group but its keeper is
    // discarded as "exact copy of KEEPER". A keeper that was following a copy's verdict (the engine
    // judged the copy that came first) takes that verdict as its own. Other kinds only suggest.
    static void discardExactCopies(std::vector<TriageItemResult> &items);

    // Groups for a run that decoded no pixels (Gemini alone): exact copies by their bytes, edits
    // by name and capture time, bursts by BurstUUID or burst file names, from the files' metadata;
    // then the exact-copy rule. `items` is the run's input, in the same order as `results`.
    static void groupWithoutPixels(std::vector<TriageItemResult> &results, const std::vector<MediaItem> &items,
                                   const CancellationToken &token);
};

} // namespace mt
