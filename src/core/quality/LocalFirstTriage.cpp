#include "quality/LocalFirstTriage.h"

#include "triage/Prefilter.h"

#include <QHash>

namespace mt::quality {

namespace {

// An exact copy is settled by its group (discarded as a copy of its keeper): never paid for.
bool settled(const ItemAnalysis &a)
{
    if (a.group && a.group->kind == GroupKind::Exact && !a.group->best)
        return true;
    return !a.error && a.verdict.verdict != VerdictKind::Error && a.verdict.confident();
}

} // namespace

TriageItemResult toTriageResult(const ItemAnalysis &a, const QString &contentHash)
{
    TriageItemResult r;
    r.path = a.item.path;
    r.source = VerdictSource::Local;
    r.contentHash = contentHash;
    r.livePhotoOf = a.followsPath;
    r.setGroup(a.group); // from the offline analysis, whichever engine judged the item
    r.motion = a.metadata ? a.metadata->motion : std::nullopt;
    r.verdict = a.error ? VerdictKind::Error : a.verdict.verdict;
    if (r.verdict == VerdictKind::Error)
        r.error = a.error ? *a.error : makeError(Error::Code::Corrupt, a.verdict.reason);
    else
        r.reason = a.verdict.reason;
    return r;
}

LocalFirstTriage LocalFirstTriage::plan(const std::vector<MediaItem> &items, const AnalyzeOptions &options,
                                        const CancellationToken &token)
{
    LocalFirstTriage p;
    p.m_analyses = QualityAnalyzer::analyze(items, options, token);
    for (const ItemAnalysis &a : p.m_analyses)
        if (!settled(a))
            p.m_forGemini.push_back(a.item);
    return p;
}

std::function<QString(const MediaItem &)> LocalFirstTriage::hints() const
{
    QHash<QString, QString> byPath;
    for (const ItemAnalysis &a : m_analyses)
        if (!a.error)
            byPath.insert(a.item.path, QualityAnalyzer::promptHint(a));
    return [byPath](const MediaItem &item) { return byPath.value(item.path); };
}

TriageRun LocalFirstTriage::merge(TriageRun geminiRun) const
{
    QHash<QString, qsizetype> fromGemini;
    for (qsizetype i = 0; i < qsizetype(geminiRun.items.size()); ++i)
        fromGemini.insert(geminiRun.items[size_t(i)].path, i);
    std::vector<TriageItemResult> merged;
    merged.reserve(m_analyses.size());
    for (const ItemAnalysis &a : m_analyses) {
        const auto it = fromGemini.constFind(a.item.path);
        if (it != fromGemini.cend()) {
            TriageItemResult r = std::move(geminiRun.items[size_t(*it)]);
            r.setGroup(a.group); // from the offline analysis, whichever engine judged the item
            // The analysis paired every item; Gemini's run saw only the unsure ones (maybe a still without its clip).
            r.motion = a.metadata ? a.metadata->motion : std::nullopt;
            merged.push_back(std::move(r));
            continue;
        }
        // The hash (taken before decoding) lets the trash refuse a file that changed after this verdict.
        merged.push_back(toTriageResult(a, a.contentHash));
    }
    Prefilter::discardExactCopies(merged);
    geminiRun.items = std::move(merged);
    geminiRun.engine = QStringLiteral("local-first");
    return geminiRun;
}

} // namespace mt::quality
