#include "quality/NearDuplicateGrouper.h"

#include "quality/PerceptualHash.h"
#include "quality/UnionFind.h"

#include <algorithm>
#include <cmath>

namespace mt::quality {

namespace {

// Flat fingerprints have no layout to correlate; they match when their brightness matches.
constexpr double kFlatDeviation = 2.0;
constexpr double kFlatMeanDifference = 6.0;

double exposureScore(const ImageSignals &s)
{
    return -std::abs(s.p50 - 0.45) - s.nearBlack - s.nearWhite;
}

} // namespace

std::optional<KeeperRule> keeperRuleFromName(const QString &name)
{
    if (name == QLatin1String("sharpest"))
        return KeeperRule::Sharpest;
    if (name == QLatin1String("exposure"))
        return KeeperRule::BestExposed;
    if (name == QLatin1String("largest"))
        return KeeperRule::Largest;
    if (name == QLatin1String("original"))
        return KeeperRule::PreferOriginal;
    return std::nullopt;
}

QString keeperRuleName(KeeperRule rule)
{
    switch (rule) {
    case KeeperRule::Sharpest: return QStringLiteral("sharpest");
    case KeeperRule::BestExposed: return QStringLiteral("exposure");
    case KeeperRule::Largest: return QStringLiteral("largest");
    case KeeperRule::PreferOriginal: return QStringLiteral("original");
    }
    return {};
}

double NearDuplicateGrouper::layoutCorrelation(const ImageSignals &a, const ImageSignals &b)
{
    const double n = double(a.fingerprint.size());
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.fingerprint.size(); ++i) {
        ma += a.fingerprint[i];
        mb += b.fingerprint[i];
    }
    ma /= n;
    mb /= n;
    double cov = 0, va = 0, vb = 0;
    for (size_t i = 0; i < a.fingerprint.size(); ++i) {
        const double da = a.fingerprint[i] - ma, db = b.fingerprint[i] - mb;
        cov += da * db;
        va += da * da;
        vb += db * db;
    }
    const double sa = std::sqrt(va / n), sb = std::sqrt(vb / n);
    if (sa < kFlatDeviation || sb < kFlatDeviation)
        return (sa < kFlatDeviation && sb < kFlatDeviation && std::abs(ma - mb) < kFlatMeanDifference) ? 1.0 : 0.0;
    return cov / std::sqrt(va * vb);
}

double NearDuplicateGrouper::colourOverlap(const ImageSignals &a, const ImageSignals &b)
{
    double overlap = 0;
    for (size_t i = 0; i < a.colourHistogram.size(); ++i)
        overlap += std::min(a.colourHistogram[i], b.colourHistogram[i]);
    return overlap;
}

bool NearDuplicateGrouper::similar(const DuplicateCandidate &a, const DuplicateCandidate &b) const
{
    if (!a.imageSignals || !b.imageSignals)
        return false;
    // The hash first: it rejects almost every pair of a folder for a popcount, while comparing two
    // QDateTimes converts time zones (it made a 5,000-photo folder take minutes).
    const int distance = hammingDistance(a.imageSignals->perceptualHash, b.imageSignals->perceptualHash);
    if (distance > std::max(m_options.maxHashDistance, m_options.maxHashDistanceUntimed))
        return false;
    const bool timed = a.capturedAt && b.capturedAt && a.capturedAt->isValid() && b.capturedAt->isValid();
    if (timed && std::abs(double(a.capturedAt->secsTo(*b.capturedAt))) > m_options.maxSecondsApart)
        return false;
    if (distance > (timed ? m_options.maxHashDistance : m_options.maxHashDistanceUntimed))
        return false;
    return layoutCorrelation(*a.imageSignals, *b.imageSignals) >= m_options.minLayoutCorrelation
        && colourOverlap(*a.imageSignals, *b.imageSignals) >= m_options.minColourOverlap;
}

bool NearDuplicateGrouper::better(const DuplicateCandidate &a, const DuplicateCandidate &b) const
{
    const ImageSignals &sa = *a.imageSignals, &sb = *b.imageSignals;
    auto sharper = [&] {
        if (sa.regionalSharpness != sb.regionalSharpness)
            return sa.regionalSharpness > sb.regionalSharpness;
        return a.path < b.path;
    };
    switch (m_options.rule) {
    case KeeperRule::Sharpest:
        return sharper();
    case KeeperRule::BestExposed:
        if (exposureScore(sa) != exposureScore(sb))
            return exposureScore(sa) > exposureScore(sb);
        return sharper();
    case KeeperRule::Largest:
        if (a.originalPixels != b.originalPixels)
            return a.originalPixels > b.originalPixels;
        return sharper();
    case KeeperRule::PreferOriginal:
        if (a.isHeif != b.isHeif)
            return a.isHeif;
        if (a.originalPixels != b.originalPixels)
            return a.originalPixels > b.originalPixels;
        return sharper();
    }
    return sharper();
}

std::vector<DuplicateMembership> NearDuplicateGrouper::group(const std::vector<DuplicateCandidate> &candidates) const
{
    const size_t n = candidates.size();
    std::vector<DuplicateMembership> result(n);
    UnionFind sets(n);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j)
            if (similar(candidates[i], candidates[j]))
                sets.unite(int(i), int(j));

    // Number groups in the order of their first member, so output is stable for a given input.
    std::vector<int> groupOfRoot(n, -1);
    std::vector<int> size(n, 0);
    for (size_t i = 0; i < n; ++i)
        ++size[size_t(sets.find(int(i)))];
    std::vector<int> bestOfRoot(n, -1);
    int groups = 0;
    for (size_t i = 0; i < n; ++i) {
        const int root = sets.find(int(i));
        if (size[size_t(root)] < 2)
            continue;
        if (groupOfRoot[size_t(root)] < 0)
            groupOfRoot[size_t(root)] = groups++;
        int &best = bestOfRoot[size_t(root)];
        if (best < 0 || better(candidates[i], candidates[size_t(best)]))
            best = int(i);
    }
    for (size_t i = 0; i < n; ++i) {
        const int root = sets.find(int(i));
        if (groupOfRoot[size_t(root)] < 0)
            continue;
        result[i].group = groupOfRoot[size_t(root)];
        result[i].bestIndex = bestOfRoot[size_t(root)];
        result[i].best = bestOfRoot[size_t(root)] == int(i);
    }
    return result;
}

} // namespace mt::quality
