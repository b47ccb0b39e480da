#include "xmp/XmpDecisions.h"

namespace mt {

std::optional<bool> XmpReview::personKeep() const
{
    if (!rating)
        return std::nullopt;
    if (rating->rejected())
        return false;
    if (rating->rated())
        return true;
    return std::nullopt;
}

QString XmpDecisions::conflict(const XmpRating &rating, VerdictKind engineVerdict)
{
    if (engineVerdict == VerdictKind::Discard && rating.rated()) {
        if (rating.rating.value_or(0) > 0)
            return tr("you rated this %1★, the engine says discard").arg(*rating.rating);
        return tr("you picked this, the engine says discard");
    }
    if (engineVerdict == VerdictKind::Keep && rating.rejected())
        return tr("you rejected this, the engine says keep");
    return {};
}

std::vector<XmpReview> XmpDecisions::review(const std::vector<TriageItemResult> &items)
{
    std::vector<XmpReview> reviews(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].verdict == VerdictKind::Error)
            continue;
        auto rating = XmpSidecar::readRating(items[i].path);
        if (!rating) {
            reviews[i].error = rating.error();
            continue;
        }
        if (!rating->rating && rating->label.isEmpty() && !rating->pick)
            continue;
        reviews[i].rating = *rating;
        reviews[i].conflict = conflict(*rating, items[i].verdict);
    }
    return reviews;
}

XmpWriteSummary XmpDecisions::write(const std::vector<TriageItemResult> &items, const QString &engine, const QString &model,
                                    SidecarStyle style, const QDateTime &decidedAt)
{
    XmpWriteSummary summary;
    for (const TriageItemResult &r : items) {
        if (r.verdict == VerdictKind::Error)
            continue;
        const XmpDecision decision{r.verdict == VerdictKind::Discard, r.reason, engine.isEmpty() ? sourceName(r.source) : engine,
                                   r.modelVersion.isEmpty() ? model : r.modelVersion, decidedAt};
        if (auto written = XmpSidecar::writeDecision(r.path, decision, style))
            ++summary.written;
        else
            summary.failures.emplace_back(r.path, written.error());
    }
    return summary;
}

} // namespace mt
