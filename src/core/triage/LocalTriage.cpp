#include "triage/LocalTriage.h"

#include "quality/LocalFirstTriage.h"
#include "quality/QualityAnalyzer.h"
#include "triage/Prefilter.h"

#include <mutex>

namespace mt {

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
    // Each item is hashed before it is decoded, so a file edited after its verdict is refused by
    // the trash.
    for (const quality::ItemAnalysis &a : analyses)
        run.items.push_back(quality::toTriageResult(a, a.contentHash));
    Prefilter::discardExactCopies(run.items);
    if (token.isCancelled())
        run.stopped = makeError(Error::Code::Cancelled, tr("cancelled"));
    progress.stage(TriageProgress::Stage::Done, n);
    return run;
}

} // namespace mt
