#include "quality/MediaGrouper.h"

#include "quality/CaptureNames.h"
#include "quality/PerceptualHash.h"
#include "quality/UnionFind.h"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace mt::quality {

namespace {

// A re-encode keeps the layout: the 64-bit hash of an exact copy moves a few bits at most.
constexpr int kExactMaxHashBits = 6;

bool timed(const GroupCandidate &c) { return c.looks.capturedAt && c.looks.capturedAt->isValid(); }

double secondsApart(const GroupCandidate &a, const GroupCandidate &b)
{
    return std::abs(double(a.looks.capturedAt->msecsTo(*b.looks.capturedAt))) / 1000.0;
}

QString folderOf(const QString &path) { return path.left(path.lastIndexOf(u'/') + 1); }
QString fileNameOf(const QString &path) { return path.mid(path.lastIndexOf(u'/') + 1); }

qint64 pixelsOf(const GroupCandidate &c)
{
    if (c.looks.originalPixels > 0)
        return c.looks.originalPixels;
    return c.looks.imageSignals ? qint64(c.looks.imageSignals->width) * c.looks.imageSignals->height : 0;
}

int formatRank(const GroupCandidate &c) { return c.isRaw ? 2 : c.looks.isHeif ? 1 : 0; }

bool sameCamera(const GroupCandidate &a, const GroupCandidate &b)
{
    return a.camera.isEmpty() || b.camera.isEmpty() || a.camera.compare(b.camera, Qt::CaseInsensitive) == 0;
}

// Every set of two or more open members becomes a group of `kind` whose keeper `better` picks.
// Its provisional id is the keeper's index; group() renumbers.
template <class Better>
void commitSets(UnionFind &sets, const std::vector<bool> &open, GroupKind kind, Better better,
                std::vector<GroupAssignment> &out)
{
    const size_t n = open.size();
    std::vector<int> size(n, 0), keeper(n, -1);
    for (size_t i = 0; i < n; ++i) {
        if (!open[i])
            continue;
        const size_t root = size_t(sets.find(int(i)));
        ++size[root];
        if (keeper[root] < 0 || better(int(i), keeper[root]))
            keeper[root] = int(i);
    }
    for (size_t i = 0; i < n; ++i) {
        const size_t root = open[i] ? size_t(sets.find(int(i))) : 0;
        if (open[i] && size[root] >= 2)
            out[i] = {keeper[root], kind, keeper[root]};
    }
}

std::vector<bool> ungrouped(const std::vector<GroupAssignment> &out)
{
    std::vector<bool> open(out.size());
    for (size_t i = 0; i < out.size(); ++i)
        open[i] = out[i].id < 0;
    return open;
}

} // namespace

GroupCandidate groupCandidate(const MediaItem &item, const MediaMetadata *metadata, const ImageSignals *pixelSignals,
                              const QString &contentHash)
{
    static const QStringList rawSuffixes{QStringLiteral("dng"), QStringLiteral("cr2"), QStringLiteral("cr3"),
                                         QStringLiteral("nef"), QStringLiteral("arw"), QStringLiteral("raf"),
                                         QStringLiteral("orf"), QStringLiteral("rw2")};
    GroupCandidate c;
    c.looks.path = item.path;
    c.looks.imageSignals = pixelSignals;
    c.looks.isHeif = item.mime.contains(QLatin1String("heic")) || item.mime.contains(QLatin1String("heif"));
    c.contentHash = contentHash;
    c.isRaw = rawSuffixes.contains(item.path.mid(item.path.lastIndexOf(u'.') + 1).toLower());
    if (!metadata)
        return c;
    // A file's modification time says when it was copied, not when it was taken.
    if (metadata->capturedAt && metadata->capturedAt->dateTime.isValid()
        && metadata->capturedAt->source != CaptureTime::Source::FileTime) {
        c.looks.capturedAt = metadata->capturedAt->dateTime.addMSecs(metadata->subsecondMs.value_or(0));
        c.subsecondTime = metadata->subsecondMs.has_value();
    }
    if (metadata->width && metadata->height)
        c.looks.originalPixels = qint64(*metadata->width) * *metadata->height;
    c.camera = (metadata->make + u' ' + metadata->model).trimmed();
    c.burstId = metadata->burstUuid;
    c.metadataFields = metadata->exifFieldCount;
    return c;
}

QString MediaGrouper::exactCopyReason(const QString &keeperFileName)
{
    return tr("exact copy of %1").arg(keeperFileName);
}

std::vector<std::optional<ItemGroup>> MediaGrouper::itemGroups(const std::vector<GroupAssignment> &assignments,
                                                                const std::vector<GroupCandidate> &candidates)
{
    std::vector<std::optional<ItemGroup>> groups(assignments.size());
    for (size_t i = 0; i < assignments.size(); ++i) {
        const GroupAssignment &a = assignments[i];
        if (a.id >= 0)
            groups[i] = ItemGroup{a.id, a.kind, candidates[size_t(a.keeper)].looks.path, a.keeper == int(i)};
    }
    return groups;
}

bool MediaGrouper::samePixels(const GroupCandidate &a, const GroupCandidate &b) const
{
    const ImageSignals *sa = a.looks.imageSignals, *sb = b.looks.imageSignals;
    if (!sa || !sb || sa->width <= 0 || sb->width <= 0 || sa->height <= 0 || sb->height <= 0)
        return false;
    const double aspectA = double(sa->width) / sa->height, aspectB = double(sb->width) / sb->height;
    if (std::abs(aspectA - aspectB) > m_options.exactMaxAspectDifference * std::max(aspectA, aspectB))
        return false;
    if (hammingDistance(sa->perceptualHash, sb->perceptualHash) > kExactMaxHashBits
        || hammingDistance(sa->detailHash, sb->detailHash) > m_options.exactMaxDetailBits)
        return false;
    // Two frames of a burst can look the same to any hash; their capture times tell them apart.
    if (timed(a) && timed(b)) {
        const double apart = secondsApart(a, b);
        if (apart >= 1.0 || (a.subsecondTime && b.subsecondTime && apart > 0.0))
            return false;
    }
    return true;
}

bool MediaGrouper::betterOriginal(const GroupCandidate &a, const GroupCandidate &b)
{
    if (pixelsOf(a) != pixelsOf(b))
        return pixelsOf(a) > pixelsOf(b);
    if (a.metadataFields != b.metadataFields)
        return a.metadataFields > b.metadataFields;
    const bool cameraA = !CaptureNames::isCopyName(fileNameOf(a.looks.path));
    const bool cameraB = !CaptureNames::isCopyName(fileNameOf(b.looks.path));
    if (cameraA != cameraB)
        return cameraA;
    if (formatRank(a) != formatRank(b))
        return formatRank(a) > formatRank(b);
    return a.looks.path < b.looks.path;
}

void MediaGrouper::groupExact(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const
{
    UnionFind sets(c.size());
    QHash<QString, int> byHash;
    for (size_t i = 0; i < c.size(); ++i) {
        if (c[i].contentHash.isEmpty())
            continue;
        if (const int first = byHash.value(c[i].contentHash, -1); first >= 0)
            sets.unite(int(i), first);
        else
            byHash.insert(c[i].contentHash, int(i));
    }
    for (size_t i = 0; i < c.size(); ++i)
        for (size_t j = i + 1; j < c.size(); ++j)
            if (sets.find(int(i)) != sets.find(int(j)) && samePixels(c[i], c[j]))
                sets.unite(int(i), int(j));
    commitSets(sets, ungrouped(out), GroupKind::Exact,
               [&](int a, int b) { return betterOriginal(c[size_t(a)], c[size_t(b)]); }, out);
}

void MediaGrouper::groupEdits(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const
{
    const std::vector<bool> open = ungrouped(out);
    QHash<QString, int> originals; // folder + stem of every open file whose name is not an edit's
    std::vector<bool> isEdit(c.size(), false);
    for (size_t i = 0; i < c.size(); ++i) {
        const QString name = fileNameOf(c[i].looks.path);
        isEdit[i] = !CaptureNames::editedOriginalStem(name).isEmpty();
        // The first of a stem wins (IMG_4120.JPG before a stray "IMG_4120 (1).JPG").
        if (open[i] && !isEdit[i] && !originals.contains(folderOf(c[i].looks.path) + CaptureNames::stem(name)))
            originals.insert(folderOf(c[i].looks.path) + CaptureNames::stem(name), int(i));
    }
    UnionFind sets(c.size());
    for (size_t i = 0; i < c.size(); ++i) {
        if (!open[i] || !isEdit[i])
            continue;
        const QString key = folderOf(c[i].looks.path) + CaptureNames::editedOriginalStem(fileNameOf(c[i].looks.path));
        const int original = originals.value(key, -1);
        if (original < 0)
            continue;
        const GroupCandidate &o = c[size_t(original)];
        // An edit keeps its original's capture time and camera; a different shot that happens to
        // share the number (a counter that wrapped) does not.
        if ((timed(c[i]) && timed(o) && secondsApart(c[i], o) > m_options.editMaxSecondsApart) || !sameCamera(c[i], o))
            continue;
        sets.unite(int(i), original);
    }
    commitSets(sets, open, GroupKind::Edited,
               [&](int a, int b) {
                   if (isEdit[size_t(a)] != isEdit[size_t(b)])
                       return bool(isEdit[size_t(a)]);
                   return c[size_t(a)].looks.path < c[size_t(b)].looks.path;
               },
               out);
}

bool MediaGrouper::burstNeighbours(const GroupCandidate &a, const GroupCandidate &b) const
{
    return sameCamera(a, b) && NearDuplicateGrouper(m_options.similar).similar(a.looks, b.looks);
}

void MediaGrouper::groupBursts(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const
{
    const std::vector<bool> open = ungrouped(out);
    UnionFind sets(c.size());
    QHash<QString, int> firstOf; // a BurstUUID, or a folder + burst file-name key
    auto join = [&](const QString &key, size_t i) {
        if (const int first = firstOf.value(key, -1); first >= 0)
            sets.unite(int(i), first);
        else
            firstOf.insert(key, int(i));
    };
    std::vector<int> byTime;
    for (size_t i = 0; i < c.size(); ++i) {
        if (!open[i])
            continue;
        if (!c[i].burstId.isEmpty())
            join(QStringLiteral("uuid:") + c[i].burstId, i);
        if (const QString key = CaptureNames::burstKey(fileNameOf(c[i].looks.path)); !key.isEmpty())
            join(folderOf(c[i].looks.path) + key, i);
        if (timed(c[i]) && c[i].looks.imageSignals)
            byTime.push_back(int(i));
    }
    // Frames shot within the gap that look alike: a burst even without a burst id (most Android
    // cameras write none). Sorted by time, each frame is compared with the few that follow it.
    std::sort(byTime.begin(), byTime.end(),
              [&](int a, int b) { return *c[size_t(a)].looks.capturedAt < *c[size_t(b)].looks.capturedAt; });
    for (size_t k = 0; k < byTime.size(); ++k)
        for (size_t m = k + 1; m < byTime.size(); ++m) {
            const GroupCandidate &a = c[size_t(byTime[k])], &b = c[size_t(byTime[m])];
            if (secondsApart(a, b) > m_options.burstMaxGapSeconds)
                break;
            if (burstNeighbours(a, b))
                sets.unite(byTime[k], byTime[m]);
        }
    NearDuplicateGrouper::Options quality = m_options.similar;
    if (quality.rule != KeeperRule::BestExposed)
        quality.rule = KeeperRule::Sharpest; // a burst is one moment: its best frame is the sharpest
    const NearDuplicateGrouper judge(quality);
    commitSets(sets, open, GroupKind::Burst,
               [&](int a, int b) {
                   const DuplicateCandidate &la = c[size_t(a)].looks, &lb = c[size_t(b)].looks;
                   if (!la.imageSignals || !lb.imageSignals)
                       return la.imageSignals != nullptr;
                   return judge.better(la, lb);
               },
               out);
}

void MediaGrouper::groupSimilar(const std::vector<GroupCandidate> &c, std::vector<GroupAssignment> &out) const
{
    std::vector<DuplicateCandidate> looks;
    std::vector<size_t> indexOf;
    for (size_t i = 0; i < c.size(); ++i) {
        if (out[i].id >= 0 || !c[i].looks.imageSignals)
            continue;
        looks.push_back(c[i].looks);
        indexOf.push_back(i);
    }
    const auto memberships = NearDuplicateGrouper(m_options.similar).group(looks);
    for (size_t k = 0; k < memberships.size(); ++k) {
        if (memberships[k].group < 0)
            continue;
        const int keeper = int(indexOf[size_t(memberships[k].bestIndex)]);
        out[indexOf[k]] = {keeper, GroupKind::Similar, keeper};
    }
}

std::vector<GroupAssignment> MediaGrouper::group(const std::vector<GroupCandidate> &candidates) const
{
    std::vector<GroupAssignment> out(candidates.size());
    groupExact(candidates, out);
    groupEdits(candidates, out);
    groupBursts(candidates, out);
    groupSimilar(candidates, out);
    // Provisional ids are keeper indices; number groups in the order of their first member.
    QHash<int, int> number;
    for (GroupAssignment &a : out) {
        if (a.id < 0)
            continue;
        if (!number.contains(a.id))
            number.insert(a.id, int(number.size()));
        a.id = number.value(a.id);
    }
    return out;
}

} // namespace mt::quality
