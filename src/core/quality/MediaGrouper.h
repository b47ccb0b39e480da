#pragma once

#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"
#include "quality/GroupKind.h"
#include "quality/NearDuplicateGrouper.h"

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <vector>

namespace mt::quality {

// What grouping knows of one file. `looks` carries the pixels' signals (null for a video or a
// file that could not be decoded: such a file can still be an exact copy by its bytes, or an edit
// by its name) and the capture time, with milliseconds when the file has sub-second time.
struct GroupCandidate {
    DuplicateCandidate looks;
    QString contentHash;         // of the bytes; empty when unknown
    QString camera;              // make and model; empty when unknown
    QString burstId;             // Apple's BurstUUID; empty when none
    bool subsecondTime = false;  // looks.capturedAt carries the file's sub-second part
    int metadataFields = 0;      // how much metadata the file carries (a stripped copy has little)
    bool isRaw = false;
};

// A candidate from what a run knows of a file: its metadata (null when unread), its decoded
// signals (null for videos and files not analysed) and its content hash.
GroupCandidate groupCandidate(const MediaItem &item, const MediaMetadata *metadata, const ImageSignals *pixelSignals,
                              const QString &contentHash);

struct GroupAssignment {
    int id = -1;                      // -1: in no group
    GroupKind kind = GroupKind::Similar;
    int keeper = -1;                  // index of the group's suggested keeper
};

// Sorts a folder's pictures into groups of four kinds, strongest tie first: exact copies, then
// edits with their originals, then bursts, then similar shots; an item belongs to one group.
// Only an exact copy may be proposed for discard by its group alone; the other kinds only suggest
// a keeper. Pure: same input, same groups, same ids (numbered by their first member).
class MediaGrouper {
    Q_DECLARE_TR_FUNCTIONS(MediaGrouper)
public:
    struct Options {
        NearDuplicateGrouper::Options similar; // the look-alike test and the keeper rule of `similar` groups
        double burstMaxGapSeconds = 1.0;       // frames of a burst follow each other this closely
        double editMaxSecondsApart = 2.0;      // an edit keeps its original's capture time
        // Of the 256 detail-hash bits, what a re-encode (JPEG quality 60..95, PNG) or a resize to
        // half moves: measured 0 (tst_media_grouper); two burst frames a few pixels apart: 14.
        int exactMaxDetailBits = 6;
        double exactMaxAspectDifference = 0.015;
    };

    MediaGrouper() = default;
    explicit MediaGrouper(Options options) : m_options(std::move(options)) {}

    std::vector<GroupAssignment> group(const std::vector<GroupCandidate> &candidates) const;

    // The same pixels: both decoded, same aspect, detail hashes within a re-encode's reach, and
    // not taken at different moments when both say when.
    bool samePixels(const GroupCandidate &a, const GroupCandidate &b) const;
    // The better original of two exact copies: larger, richer metadata, a camera file name,
    // RAW/HEIC over JPEG; then the first path, so the choice is stable.
    static bool betterOriginal(const GroupCandidate &a, const GroupCandidate &b);

    // Each candidate's group as fronts show it (keeper by path), nullopt for none.
    static std::vector<std::optional<ItemGroup>> itemGroups(const std::vector<GroupAssignment> &assignments,
                                                            const std::vector<GroupCandidate> &candidates);

    // The reason an exact copy is proposed for discard.
    static QString exactCopyReason(const QString &keeperFileName);

private:
    void groupExact(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const;
    void groupEdits(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const;
    void groupBursts(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const;
    void groupSimilar(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const;
    bool burstNeighbours(const GroupCandidate &a, const GroupCandidate &b) const;

    Options m_options;
};

} // namespace mt::quality
