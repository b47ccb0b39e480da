#pragma once

#include "quality/ImageSignals.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace mt::quality {

// Which picture of a group of near-duplicates is suggested as the one to keep. The person picks.
enum class KeeperRule {
    Sharpest,       // highest regional sharpness
    BestExposed,    // midtones nearest the middle, least clipped
    Largest,        // most pixels in the original
    PreferOriginal, // HEIC/HEIF before JPEG or PNG copies of it, then the largest, then the sharpest
};

std::optional<KeeperRule> keeperRuleFromName(const QString &name);
QString keeperRuleName(KeeperRule rule);

struct DuplicateCandidate {
    QString path;
    const ImageSignals *imageSignals = nullptr; // not owned; must outlive group()
    std::optional<QDateTime> capturedAt;
    qint64 originalPixels = 0;             // width × height of the file, 0 when unknown
    bool isHeif = false;
};

struct DuplicateMembership {
    int group = -1;        // -1: not part of any group; else a number shared by the group's members
    bool best = false;     // the suggested keeper of its group
    int bestIndex = -1;    // index (into the candidates) of its group's keeper
};

// Groups bursts and repeated shots. A pair belongs together when their perceptual hashes are
// close AND a second, independent measure agrees (16×16 brightness layout correlation and colour
// histogram overlap) AND, when both have a capture time, they were taken close together. Pairs
// chain into groups (a burst drifts). Being in a group is a suggestion, never a discard.
class NearDuplicateGrouper {
public:
    struct Options {
        // 64-bit pHash: re-encodes and small reframings of one scene stay within ~6 bits; unrelated
        // photos are ~32 apart on average but 8×8 hashes put a few unrelated pairs under 12 —
        // hence the confirmation below.
        int maxHashDistance = 12;
        // Without capture times on both, demand a closer hash.
        int maxHashDistanceUntimed = 8;
        double maxSecondsApart = 120.0;
        // Pearson correlation of the 16×16 brightness fingerprints; bursts measure ≥ 0.95.
        double minLayoutCorrelation = 0.90;
        // Histogram intersection (0..1) of the chromaticity histograms; burst frames (reframed,
        // ±0.3 EV) measure ≥ 0.85.
        double minColourOverlap = 0.70;
        KeeperRule rule = KeeperRule::Sharpest;
    };

    NearDuplicateGrouper() = default;
    explicit NearDuplicateGrouper(Options options) : m_options(options) {}

    std::vector<DuplicateMembership> group(const std::vector<DuplicateCandidate> &candidates) const;
    bool similar(const DuplicateCandidate &a, const DuplicateCandidate &b) const;
    // `a` is the better keeper than `b` under the rule (both need imageSignals).
    bool better(const DuplicateCandidate &a, const DuplicateCandidate &b) const;

    static double layoutCorrelation(const ImageSignals &a, const ImageSignals &b);
    static double colourOverlap(const ImageSignals &a, const ImageSignals &b);

private:
    Options m_options;
};

} // namespace mt::quality
