#pragma once

#include "aws/LambdaEvents.h"
#include "aws/LambdaRuntimeClient.h"
#include "common/Result.h"
#include "lambda/FanoutPlan.h"

#include <QCoreApplication>
#include <QSet>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace mt::lambda {

class JsonLog;
class LambdaServices;

// A triage of a prefix too large for one invocation, with Lambda as the distributed engine
// (FanoutPlan describes the files). The coordinator (the `{"action":"triage"}` invocation) lists
// the prefix, writes the plan and starts MT_SHARD_CONCURRENCY chains of asynchronous shard
// invocations; each shard worker judges its objects with the core session (TriageJob), hands what
// is left to a fresh invocation of itself before its deadline, writes its shard file and starts
// the next shard of its chain; whoever writes the last missing shard file merges everything into
// results.json. Every step is idempotent: Lambda's retries and redeliveries find their work done
// and stop, and nothing already judged (in a shard, progress or results file) is paid for again.
class FanoutJob {
    Q_DECLARE_TR_FUNCTIONS(FanoutJob)
public:
    FanoutJob(LambdaServices &services, JsonLog &log) : m_services(services), m_log(log) {}

    // The `{"action":"triage"}` event: a no-op while a job of the prefix is live, the missing
    // shards of a partial or stuck job, or a new job (TriageJob::run, which calls startIfLarge).
    Result<nlohmann::json> coordinate(const aws::TriageRequest &request, const aws::Invocation &invocation);
    // After a new job's listing: starts the shards and returns the coordinator's answer, or
    // nothing when one invocation can judge it all (or the function cannot invoke itself).
    std::optional<Result<nlohmann::json>> startIfLarge(const aws::TriageRequest &request, const aws::Invocation &invocation,
                                                       const std::vector<JobEntry> &entries, const QSet<QString> &listed);
    // `{"action":"triage-shard",...}`.
    Result<nlohmann::json> runShard(const ShardEvent &event, const aws::Invocation &invocation);
    // Lambda's record of a shard invocation that failed all its attempts: its objects become
    // errors (judged ones are kept), the chain goes on, and the job ends partial.
    Result<nlohmann::json> shardFailed(const ShardEvent &event, const QString &why, const aws::Invocation &invocation);

    // How many hand-overs one shard may make before what is still unjudged counts as failed.
    static constexpr int kMaxContinuations = 20;
    // A coordinator's claim on a prefix counts this long (it only guards the start of a job).
    static constexpr int kClaimLifetimeS = 300;
    static constexpr int kClaimSettleMs = 1500; // past S3's one-second LastModified tick (claimBySettling)

private:
    struct Shard; // one shard's plan and what is known about it
    Result<std::optional<nlohmann::json>> readJson(const QString &bucket, const QString &key);
    Status putJson(const QString &bucket, const QString &key, const nlohmann::json &doc);
    Result<nlohmann::json> startClaimed(const aws::TriageRequest &request, const aws::Invocation &invocation);
    // Whether this coordinator may start a job of the prefix: one wins among those that ask at once.
    Result<bool> claim(const QString &bucket, const QString &prefix, const aws::Invocation &invocation);
    enum class Lock { Won, Lost, Unsupported };
    // Writes `key` ({"requestId","at"}) unless it exists: Won also when it holds our own request
    // id; Unsupported (nothing left written) when the store ignores If-None-Match.
    Result<Lock> writeFirst(const QString &bucket, const QString &key, const aws::Invocation &invocation);
    // P_triage/claims/lock, written with If-None-Match: * (Unsupported: the store ignores it).
    Result<Lock> takeLock(const QString &bucket, const QString &prefix, const aws::Invocation &invocation);
    // For a store without conditional writes: claims/<request-id>, then the oldest one wins.
    Result<bool> claimBySettling(const QString &bucket, const QString &prefix, const aws::Invocation &invocation);
    void releaseClaim(const QString &bucket, const QString &prefix, const aws::Invocation &invocation);
    Result<Shard> loadShard(const ShardEvent &event);
    Status writeFinal(const ShardEvent &event, const Shard &shard, const QString &failure);
    Status invoke(const ShardEvent &event);
    // Starts the next shard of the event's chain, then records that it did (chained/<k>): a retry
    // of a complete shard whose invocation died, or whose Invoke failed, after its shard file was
    // written starts the next one then; a redelivery after that does not start it twice.
    Status continueChain(const ShardEvent &event);
    void startChains(const aws::TriageRequest &request, const QString &job, const std::vector<int> &shards);
    Result<nlohmann::json> finishShard(const ShardEvent &event, const aws::Invocation &invocation, const Shard &shard,
                                       const QString &failure = {});
    Result<nlohmann::json> resume(const aws::TriageRequest &request, const aws::Invocation &invocation,
                                  const nlohmann::json &job);
    // Merges when every shard file is in and this invocation wins the merge (`force`: without
    // asking, for a stuck job); an error when the merge itself failed.
    Result<bool> tryMerge(const QString &bucket, const QString &prefix, const aws::Invocation &invocation, bool force = false);
    // Whether this invocation merges: P_triage/merge/<job>.lock, or markers on a store without conditional writes.
    Result<bool> claimMerge(const QString &bucket, const QString &prefix, const QString &jobId, const aws::Invocation &invocation);
    Status merge(const QString &bucket, const QString &prefix, const aws::Invocation &invocation, const nlohmann::json &job);
    void clearArtifacts(const QString &bucket, const QString &prefix);

    LambdaServices &m_services;
    JsonLog &m_log;
    bool m_holdsLock = false;         // claim() won P_triage/claims/lock
    bool m_holdsSettledClaim = false; // claim() wrote P_triage/claims/<request-id>
};

} // namespace mt::lambda
