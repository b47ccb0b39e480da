#pragma once

#include "aws/S3Wire.h"
#include "lambda/GroupingSignals.h"
#include "common/Cancellation.h"
#include "media/MediaItem.h"
#include "triage/TriageReport.h"
#include "triage/Verdict.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

// The pure parts of a triage job (TriageJob does the I/O around them): which stored verdicts may
// be reused, which listed objects become items, how the engine's outcome maps back onto objects,
// and the results.json document.
namespace mt::lambda {

// What an earlier results.json decided about one object, to skip it when it has not changed.
struct RememberedVerdict {
    QByteArray etag; // unquoted
    qint64 sizeBytes = -1;
    VerdictKind verdict = VerdictKind::Error;
    QString reason;
    QString thumbnail;
};
using RememberedVerdicts = QHash<QString, RememberedVerdict>; // by key

// One listed object on its way through a run.
struct JobEntry {
    QString key;
    qint64 sizeBytes = 0;
    QByteArray etag; // as listed, quotes included
    std::optional<MediaKind> kind;
    QString relative;     // validated local name; empty for refused keys
    QString thumbnailKey; // where its thumbnail is (to be) stored; empty when there is none
    TriageItemResult result; // an error until judged or reused
    bool toJudge = false;    // not refused, not reused: download and judge it
    bool reused = false;
    bool unfinished = false; // the deadline came first
    // Filled by the download stage.
    QString localPath;
    std::optional<MediaItem> media;
    qint64 downloadedBytes = 0;
    QString preparedVideo; // local WebM an upload notification made for this object
    QString preparedThumb; // local JPEG, likewise
    int item = -1;         // index into the engine's input
    QStringList preparedKeys;              // what upload notifications prepared for it (a shard has no listing)
    std::optional<GroupingSignals> grouping; // for near-duplicate groups across the whole prefix
};

// The header members only results.json has (bucket, prefix, request id, partial, note).
struct ResultsContext {
    QString bucket;
    QString prefix;
    QByteArray requestId;
    QString engine;
    QString model;
    gemini::UsageTotals usage;
    std::optional<Error> stopped;
    int unsavedVerdicts = 0;
    QString failureNote; // set when shards failed: the result is partial with this note
};

class TriageJobStages {
    Q_DECLARE_TR_FUNCTIONS(TriageJob)
public:
    // Keep/discard verdicts of an earlier results.json made by the same engine and model; anything
    // else in it (errors, unfinished items, members of the wrong type) is not trusted.
    static RememberedVerdicts rememberedVerdicts(const nlohmann::json &previous, const QString &engine,
                                                 const QString &model);

    // The media objects of a listing in listing order: our own output, folders and non-media are
    // skipped (counted in `skipped`), hostile keys become errors, unchanged objects with a
    // remembered verdict are reused.
    static std::vector<JobEntry> entriesFromListing(const std::vector<aws::S3ObjectInfo> &listing,
                                                    const QString &prefix, const RememberedVerdicts &remembered,
                                                    int *skipped = nullptr);

    // Puts the engine's outcome (indexed by JobEntry::item) on the entries. After the deadline an
    // item the engine stopped on (cancelled or timed out, or never reached) is unfinished, not an
    // error: the next invoke judges it. Paths the outcome refers to become keys.
    static void applyOutcome(std::vector<JobEntry> &entries, const std::vector<TriageItemResult> &outcome,
                             bool deadlineHit);

    // The error code of work the deadline interrupted.
    static bool stoppedByDeadline(const Error &error);
    static Error notJudgedError();

    // results.json: the one result document with keys, ETags, sizes and thumbnails.
    static TriageReport resultsReport(const std::vector<JobEntry> &entries, const ResultsContext &context);
};

} // namespace mt::lambda
