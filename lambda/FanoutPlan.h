#pragma once

#include "aws/S3Wire.h"
#include "gemini/GeminiConfig.h"
#include "lambda/TriageJobStages.h"

#include <QCoreApplication>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

// The pure half of a fanned-out triage job (FanoutJob does the I/O): how a prefix is cut into
// shards, which shard invocations run one after another, and the documents the invocations leave
// in the bucket for each other. For a prefix P:
//
//   P_triage/job.json              state, job id, shards_total, limits (JobDocument)
//   P_triage/plan/<k>.json         shard k's objects (key, size, ETag, prepared artifacts)
//   P_triage/plan/reused.json      objects whose verdict an earlier run already paid for
//   P_triage/progress/<k>.json     what shard k judged before a deadline cut it (continuation)
//   P_triage/chained/<k>.json      shard k started the next shard of its chain
//   P_triage/shards/<k>.json       shard k's final outcome: verdicts, usage, grouping signals
//   P_triage/merge/<job>.lock      won by the merging invocation (conditional write)
//   P_triage/merge/<job>/<id>      merge markers on a store without conditional writes
//   P_triage/claims/lock           won by the coordinator starting a job (conditional write)
//   P_triage/claims/<id>           claims on a store without conditional writes
//   P_triage/signals.json          grouping signals of the merged job, reused by the next one
namespace mt::lambda {

// The function's fan-out settings (environment, set by the SAM template).
struct FanoutLimits {
    int shardItems = 250;             // MT_SHARD_ITEMS (the measurement is in lambda/README.md)
    qint64 shardBytes = 1536LL << 20; // MT_SHARD_BYTES: originals of one shard in /tmp at once
    int concurrency = 8;              // MT_SHARD_CONCURRENCY: shard invocations running at a time
    // MT_GEMINI_RPM / MT_GEMINI_TPM: the whole job's Gemini quota (defaults: the paid Tier 1 limits
    // of the default Flash-Lite model, 4,000 requests and 4 M input tokens a minute). One
    // invocation triaging everything gets all of it; each shard worker gets its 1/concurrency.
    int geminiRpm = 4000;
    qint64 geminiTpm = 4000000;
    static FanoutLimits fromEnvironment();
    void applyGeminiShare(gemini::GeminiConfig &config, bool shard) const;
};

// One shard invocation's event: {"action":"triage-shard","prefix":P,"shard":k,"job":id,...}.
struct ShardEvent {
    QString bucket;
    QString prefix;
    QString model;
    QString job;
    int shard = -1;
    std::vector<int> then; // the shards this invocation's chain runs after it, in order
    int continuation = 0;  // how many invocations of this shard came before (deadline hand-overs)
};

class FanoutPlan {
    Q_DECLARE_TR_FUNCTIONS(FanoutPlan)
public:
    static QString planKey(const QString &prefix, int shard);
    static QString reusedKey(const QString &prefix);
    static QString progressKey(const QString &prefix, int shard);
    static QString chainedKey(const QString &prefix, int shard);
    static QString shardsFolder(const QString &prefix);
    static QString shardKey(const QString &prefix, int shard);
    static QString mergeFolder(const QString &prefix);
    static QString mergeLockKey(const QString &prefix, const QString &job);       // won by the merging invocation
    static QString mergeMarkersFolder(const QString &prefix, const QString &job); // a store without conditional writes
    static QString claimsFolder(const QString &prefix);
    static QString claimLockKey(const QString &prefix); // won by the coordinator starting a job
    static QString signalsKey(const QString &prefix);
    // The shard number of a final shard file's key, or -1 for anything else under shards/.
    static int shardOfKey(const QString &prefix, const QString &key);

    // Shards over the entries to judge, in listing order: at most `limits.shardItems` entries and
    // `limits.shardBytes` bytes each (a single larger object gets a shard of its own), as even in
    // size as possible: when there are more shards than `limits.concurrency`, a multiple of it;
    // when fewer, as many as there are chains (shards of at least kMinShardItems objects). Objects
    // sharing a folder and base name (a Live Photo's still and clip, RAW+JPEG) stay together, so
    // the engine pairs them as it does in one run, and so do byte-identical copies (listedCopies)
    // while the bounds allow. Values are indices into `entries`, in listing order within a shard.
    static constexpr int kMinShardItems = 20; // one Gemini request's worth: smaller ones are mostly overhead
    static std::vector<std::vector<size_t>> shards(const std::vector<JobEntry> &entries, const FanoutLimits &limits);
    // For each entry to judge, the index of the first earlier one with the same ETag and size as
    // listed (the same bytes), or -1.
    static std::vector<long> listedCopies(const std::vector<JobEntry> &entries);
    // `concurrency` chains over `shards`: chain i runs shards[i], shards[i + c], ... one after the
    // other, so never more than `concurrency` shard invocations run at once.
    static std::vector<std::vector<int>> chains(const std::vector<int> &shards, int concurrency);

    static nlohmann::json toJson(const ShardEvent &event);
    static Result<ShardEvent> parseShardEvent(const nlohmann::json &event);
    // Lambda's invocation record for an asynchronous invocation that failed all its attempts
    // (on-failure destination): the shard event it carried and the last error.
    static std::optional<std::pair<ShardEvent, QString>> parseFailureRecord(const nlohmann::json &record);
    static bool isShardEvent(const nlohmann::json &event);
    static bool isFailureRecord(const nlohmann::json &event);

    // One entry in plan, progress and shard files: the object, its outcome, its grouping grouping.
    static nlohmann::json entryJson(const JobEntry &entry);
    static std::optional<JobEntry> entryFromJson(const nlohmann::json &doc, const QString &prefix);
    static std::vector<JobEntry> entriesFromJson(const nlohmann::json &items, const QString &prefix);

    // Grouping grouping by key (with the ETag they were measured on), and back onto unchanged entries.
    static nlohmann::json signalsDocument(const std::vector<JobEntry> &entries);
    static void attachSignals(std::vector<JobEntry> &entries, const nlohmann::json &document);

    // The merge: every shard's entries plus the reused ones in the listing's order (S3 lists keys
    // in UTF-8 byte order), grouped across the whole prefix.
    static std::vector<JobEntry> merged(std::vector<JobEntry> entries);
};

} // namespace mt::lambda
