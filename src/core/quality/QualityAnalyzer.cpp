#include "quality/QualityAnalyzer.h"

#include "media/LivePhotoPairing.h"
#include "metadata/MetadataReader.h"
#include "metadata/MotionPhotoReader.h"
#include "quality/SignalExtractor.h"
#include "triage/ContentHash.h"

#include <QFileInfo>
#include <QHash>
#include <QtConcurrent/QtConcurrentMap>

#include <atomic>

#include <cmath>

namespace mt::quality {

namespace {

// Live Photo: the clip belongs to its still and is never an "accidental short clip".
void pairLivePhotoClips(std::vector<ItemAnalysis> &results, double maxClipSeconds)
{
    std::vector<PairingCandidate> candidates;
    for (const ItemAnalysis &a : results) {
        PairingCandidate c = livePhotoCandidate(a.item, a.metadata.value_or(MediaMetadata{}), !a.error);
        if (a.video)
            c.durationSeconds = a.video->durationSeconds;
        candidates.push_back(std::move(c));
    }
    const LivePhotoPairs pairs = LivePhotoPairing::pair(candidates, maxClipSeconds);
    for (size_t i = 0; i < results.size(); ++i) {
        ItemAnalysis &a = results[i];
        if (!pairs.notes[i].isEmpty())
            a.verdict.reason = pairs.notes[i] + QStringLiteral("; ") + a.verdict.reason;
        if (pairs.stillOf[i] < 0)
            continue;
        ItemAnalysis &still = results[size_t(pairs.stillOf[i])];
        a.followsPath = still.item.path;
        if (still.metadata)
            MotionPhotoReader::attachLiveClip(*still.metadata, a.item, candidates[i].durationSeconds);
        a.verdict = {VerdictKind::Keep, QualityAnalyzer::tr("Live Photo motion clip: goes with its still"),
                     QStringLiteral("live_photo"), 0.9};
    }
}

// Exact copies, edits, bursts and similar shots; a Live Photo clip is part of its still, never
// grouped on its own.
void groupItems(std::vector<ItemAnalysis> &results, const AnalyzeOptions &options)
{
    std::vector<GroupCandidate> candidates;
    std::vector<size_t> indexOf;
    for (size_t i = 0; i < results.size(); ++i) {
        const ItemAnalysis &a = results[i];
        if (a.error || !a.followsPath.isEmpty())
            continue;
        candidates.push_back(groupCandidate(a.item, a.metadata ? &*a.metadata : nullptr, a.photo ? &*a.photo : nullptr,
                                            a.contentHash));
        indexOf.push_back(i);
    }
    MediaGrouper::Options groupOptions;
    groupOptions.similar.rule = options.keeperRule;
    const MediaGrouper grouper(groupOptions);
    const auto groups = MediaGrouper::itemGroups(grouper.group(candidates), candidates);
    for (size_t c = 0; c < groups.size(); ++c) {
        if (!groups[c])
            continue;
        ItemAnalysis &a = results[indexOf[c]];
        a.group = groups[c];
        // The one group rule that decides a verdict (Prefilter::discardExactCopies in a triage run).
        if (groups[c]->kind == GroupKind::Exact && !groups[c]->best)
            a.verdict = {VerdictKind::Discard, MediaGrouper::exactCopyReason(QFileInfo(groups[c]->keeperPath).fileName()),
                         QStringLiteral("exact_copy"), 1.0};
        a.duplicateGroup = groups[c]->id;
        a.bestInGroup = groups[c]->best;
        if (!groups[c]->best)
            a.similarTo = groups[c]->keeperPath;
    }
}

} // namespace

ItemAnalysis QualityAnalyzer::analyzeItem(const MediaItem &item, const OfflineJudge &judge, const CancellationToken &token)
{
    ItemAnalysis a;
    a.item = item;
    auto fail = [&](Error error) {
        a.error = std::move(error);
        a.verdict = {VerdictKind::Error, a.error->message, QStringLiteral("error"), 0.0};
        return a;
    };
    if (!item.ok())
        return fail(makeError(Error::Code::Corrupt, *item.error));
    // Hashed before decoding, so the trash can refuse a file that changes after its verdict; and
    // outside the decoding budget, which is for decoding alone.
    if (auto hash = contentHash(item.path))
        a.contentHash = *hash;
    // This item's budget, not the run's token, bounds its decoding: one hung file becomes its
    // own error and the run goes on.
    auto work = budgetedWork(item, MediaTask::Analysis, token);
    if (!work)
        return fail(work.error());
    // Metadata is optional here: a file without EXIF is still judged on its pixels.
    if (work->metadata)
        a.metadata = *work->metadata;
    if (const auto &metadata = work->metadata) {
        if (metadata->capturedAt && metadata->capturedAt->dateTime.isValid())
            a.capturedAt = metadata->capturedAt->dateTime;
        if (metadata->width && metadata->height)
            a.originalPixels = qint64(*metadata->width) * *metadata->height;
    }
    if (item.kind == MediaKind::Video) {
        auto video = VideoSignalExtractor::measureFile(item.path, work->token);
        if (!video)
            return fail(video.error());
        a.video = std::move(video).value();
        a.verdict = judge.judgeVideo(*a.video);
    } else {
        auto photo = SignalExtractor::measureFile(item, work->token);
        if (!photo)
            return fail(photo.error());
        a.photo = std::move(photo).value();
        a.verdict = judge.judgePhoto(*a.photo);
    }
    return a;
}

std::vector<ItemAnalysis> QualityAnalyzer::analyze(const std::vector<MediaItem> &items, const AnalyzeOptions &options,
                                                   const CancellationToken &token)
{
    const OfflineJudge judge(options.thresholds);
    std::atomic<int> done{0};
    const QList<ItemAnalysis> mapped = QtConcurrent::blockingMapped<QList<ItemAnalysis>>(
        items, [&](const MediaItem &item) {
            ItemAnalysis a;
            if (token.isCancelled()) {
                a.item = item;
                a.error = makeError(Error::Code::Cancelled, tr("cancelled"));
                a.verdict = {VerdictKind::Error, a.error->message, QStringLiteral("error"), 0.0};
            } else {
                a = analyzeItem(item, judge, token);
            }
            if (options.itemDone)
                options.itemDone(++done);
            return a;
        });
    std::vector<ItemAnalysis> results(mapped.begin(), mapped.end());
    pairLivePhotoClips(results, options.liveClipMaxSeconds);
    if (options.groupDuplicates)
        groupItems(results, options);
    return results;
}

QString QualityAnalyzer::promptHint(const ItemAnalysis &a)
{
    auto pct = [](double f) { return QString::number(std::lround(f * 100)); };
    if (a.photo) {
        const ImageSignals &s = *a.photo;
        return tr("local analysis: brightness %1% (1st/99th percentile %2%/%3%), %4% near black, %5% near white, "
                  "sharpness %6 overall / %7 in the sharpest part (sharp photos score 30+); local verdict: %8 (%9)")
            .arg(pct(s.meanLuma), pct(s.p1), pct(s.p99), pct(s.nearBlack), pct(s.nearWhite))
            .arg(s.sharpness, 0, 'f', 0)
            .arg(s.regionalSharpness, 0, 'f', 0)
            .arg(verdictName(a.verdict.verdict), a.verdict.reason);
    }
    if (a.video) {
        const VideoSignals &v = *a.video;
        return tr("local analysis: %1 sampled frames, %2% black, %3% flat, %4% blurry, median sharpness %5; "
                  "local verdict: %6 (%7)")
            .arg(v.frames.size())
            .arg(pct(v.blackFrameRatio), pct(v.uniformFrameRatio), pct(v.blurryFrameRatio))
            .arg(v.medianSharpness, 0, 'f', 0)
            .arg(verdictName(a.verdict.verdict), a.verdict.reason);
    }
    return {};
}

} // namespace mt::quality
