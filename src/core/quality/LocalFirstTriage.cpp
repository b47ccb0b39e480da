#include "quality/LocalFirstTriage.h"

#include "triage/ContentHash.h"

#include <QHash>

namespace mt::quality {

namespace {

bool settled(const ItemAnalysis &a) { return !a.error && a.verdict.verdict != VerdictKind::Error && a.verdict.confident(); }

} // namespace

TriageItemResult toTriageResult(const ItemAnalysis &a, const QString &contentHash)
{
    TriageItemResult r;
    r.path = a.item.path;
    r.source = VerdictSource::Local;
    r.contentHash = contentHash;
    r.livePhotoOf = a.followsPath;
    r.duplicateGroup = a.duplicateGroup;
    r.bestInGroup = a.duplicateGroup >= 0 && a.bestInGroup;
    r.similarTo = a.similarTo;
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
    AnalyzeOptions analyze = options;
    analyze.groupDuplicates = false; // groups are a suggestion for the person, not part of a verdict
    p.m_analyses = QualityAnalyzer::analyze(items, analyze, token);
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
            merged.push_back(std::move(geminiRun.items[size_t(*it)]));
            continue;
        }
        // The hash lets the trash refuse a file that changed after this verdict.
        const auto hash = contentHash(a.item.path);
        merged.push_back(toTriageResult(a, hash ? *hash : QString()));
    }
    geminiRun.items = std::move(merged);
    geminiRun.engine = QStringLiteral("local-first");
    return geminiRun;
}

} // namespace mt::quality
