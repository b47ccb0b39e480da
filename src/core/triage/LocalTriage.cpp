#include "triage/LocalTriage.h"

#include "quality/LocalFirstTriage.h"
#include "quality/QualityAnalyzer.h"
#include "triage/ContentHash.h"
#include "triage/Prefilter.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentMap>

#include <mutex>

namespace mt {

// Byte-identical copies get the verdict of the first of them, as in a Gemini run: the same
// pre-filter, so a copy is never kept while its original is discarded (or the other way round).
void LocalTriage::shareVerdictsOfCopies(std::vector<TriageItemResult> &items)
{
    std::vector<QString> hashes;
    std::vector<bool> eligible;
    for (const TriageItemResult &r : items) {
        hashes.push_back(r.contentHash);
        eligible.push_back(!r.error && r.livePhotoOf.isEmpty());
    }
    const std::vector<int> copyOf = Prefilter::exactDuplicateLeaders(hashes, eligible);
    for (size_t i = 0; i < items.size(); ++i) {
        if (copyOf[i] < 0)
            continue;
        const TriageItemResult &lead = items[size_t(copyOf[i])];
        TriageItemResult &r = items[i];
        r.verdict = lead.verdict;
        r.identicalTo = lead.path;
        r.reason = Prefilter::followerReason(false, QFileInfo(lead.path).fileName(), lead.reason);
    }
}

quality::AnalyzeOptions LocalTriage::analyzeOptions(const TriageOptions &options)
{
    quality::AnalyzeOptions analyze;
    analyze.liveClipMaxSeconds = options.liveClipMaxSeconds;
    analyze.thresholds.minClipSeconds = options.minClipSeconds;
    return analyze;
}

TriageRun LocalTriage::run(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token)
{
    TriageRun run;
    run.engine = QStringLiteral("local");
    const int n = int(items.size());
    ProgressReporter progress(options, n);
    progress.stage(TriageProgress::Stage::Reading, 0);

    // Hashes first, so a file edited after its verdict is refused by the trash.
    const QList<QString> hashes = QtConcurrent::blockingMapped<QList<QString>>(items, [&token](const MediaItem &item) {
        if (!item.ok() || token.isCancelled())
            return QString();
        auto hash = contentHash(item.path);
        return hash ? *hash : QString();
    });

    progress.stage(TriageProgress::Stage::Judging, 0);
    quality::AnalyzeOptions analyze = analyzeOptions(options);
    std::mutex progressMutex;
    int reported = 0;
    analyze.itemDone = [&](int done) {
        std::lock_guard l(progressMutex);
        // A report per item would flood a front's event queue on a large folder.
        if (done - reported >= 8 || done == n) {
            progress.advance(done - reported, {});
            reported = done;
        }
    };
    const auto analyses = quality::QualityAnalyzer::analyze(items, analyze, token);
    for (size_t i = 0; i < analyses.size(); ++i)
        run.items.push_back(quality::toTriageResult(analyses[i], hashes.value(qsizetype(i))));
    shareVerdictsOfCopies(run.items);
    if (token.isCancelled())
        run.stopped = makeError(Error::Code::Cancelled, tr("cancelled"));
    progress.stage(TriageProgress::Stage::Done, n);
    return run;
}

} // namespace mt
