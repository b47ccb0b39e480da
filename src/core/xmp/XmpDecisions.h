#pragma once

#include "common/Result.h"
#include "triage/Verdict.h"
#include "xmp/XmpSidecar.h"

#include <QCoreApplication>
#include <QDateTime>

#include <optional>
#include <vector>

namespace mt {

// What the person said about one item in XMP, and where the engine disagrees with it.
struct XmpReview {
    std::optional<XmpRating> rating; // none: no XMP, or it could not be read (then `error`)
    QString conflict;                // "you rated this 4★, the engine says discard"; empty when none
    std::optional<Error> error;      // a sidecar that is not XMP: said per item, the rest goes on
    // The person's earlier decision, which triage never overrides: keep for stars or an accepted
    // pick, discard for a rejection; none when the person did not decide.
    std::optional<bool> personKeep() const;
};

struct XmpWriteSummary {
    int written = 0;
    std::vector<std::pair<QString, Error>> failures; // media path, why its sidecar was not written
};

// A run's verdicts against the person's XMP ratings, and written back as sidecars on request.
class XmpDecisions {
    Q_DECLARE_TR_FUNCTIONS(XmpDecisions)
public:
    static QString conflict(const XmpRating &rating, VerdictKind engineVerdict);
    // Same order as `items`. Errors (unreadable items) are not looked at.
    static std::vector<XmpReview> review(const std::vector<TriageItemResult> &items);
    // One sidecar per judged item (errors are skipped): the decision in MediaTriage's namespace,
    // and xmp:Rating -1 for a discard the person did not contradict. An empty `engine` records
    // each item's own source (gemini, local, cache, prefilter).
    static XmpWriteSummary write(const std::vector<TriageItemResult> &items, const QString &engine, const QString &model,
                                 SidecarStyle style, const QDateTime &decidedAt = QDateTime::currentDateTimeUtc());
};

} // namespace mt
