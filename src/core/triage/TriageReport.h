#pragma once

#include "common/Result.h"
#include "gemini/UsageMeter.h"
#include "media/MediaItem.h"
#include "triage/TriageRun.h"
#include "xmp/XmpDecisions.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace mt {

// One row of a result document: the engine's outcome plus what only some fronts know.
struct ReportItem {
    TriageItemResult result;
    QString key;                    // an S3 object key; written instead of the path when set
    std::optional<MediaKind> kind;
    qint64 sizeBytes = -1;          // -1: unknown
    QString etag;                   // S3: the object version that was judged
    QString thumbnail;              // S3: key of the stored thumbnail
    std::optional<bool> personKeep; // the person's review decision; it wins over the engine's
    std::optional<XmpRating> xmp;   // the person's earlier rating in XMP, when there is one
    QString xmpConflict;            // where the engine disagrees with it
    QStringList companions;         // files that share this item's verdict and trash (its RAW)
};

struct ReportHeader {
    QString engine;
    QString model;
    gemini::UsageTotals usage;
    std::optional<Error> stopped;
    int unsavedVerdicts = 0;
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();       // front-specific top-level members
    nlohmann::ordered_json extraCounts = nlohmann::ordered_json::object(); // front-specific counts
};

// The one result document of a triage, the same for `mediatriage-cli triage --json/--report`, the
// app's export and the Lambda's results.json: snake_case fields, a schema_version, one CSV escaper.
// The schema is documented in the README ("Result document").
class TriageReport {
    Q_DECLARE_TR_FUNCTIONS(TriageReport)
public:
    static constexpr int kSchemaVersion = 2;

    TriageReport(ReportHeader header, std::vector<ReportItem> items)
        : m_header(std::move(header)), m_items(std::move(items)) {}
    // The run's items by path; `media` (same order), when given, adds kind and size.
    static TriageReport fromRun(const TriageRun &run, const std::vector<MediaItem> *media = nullptr);

    const ReportHeader &header() const { return m_header; }
    const std::vector<ReportItem> &items() const { return m_items; }

    nlohmann::ordered_json toJson() const;
    QByteArray toCsv() const;
    // FILE.csv gets CSV, anything else JSON; written atomically (nothing half-written is left).
    Status save(const QString &path) const;

    // The person's XMP ratings (same order as the items): shown per item, and where the engine
    // disagrees the person's earlier decision wins (a decision made in review stays first).
    void applyXmpReviews(const std::vector<XmpReview> &reviews);
    // The engine's results with each verdict replaced by the row's effective one: what may be trashed.
    std::vector<TriageItemResult> decidedResults() const;

    // The verdict a row ends with: the person's when they decided, else the engine's.
    static VerdictKind effectiveVerdict(const ReportItem &item);
    static QString csvField(const QString &value);

private:
    nlohmann::ordered_json itemJson(const ReportItem &item) const;
    nlohmann::ordered_json countsJson() const;

    ReportHeader m_header;
    std::vector<ReportItem> m_items;
};

} // namespace mt
