#pragma once

#include "aws/LambdaEvents.h"
#include "common/Result.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace mt::aws {
class S3Client;
}

namespace mt::lambda {

// `P_triage/job.json`: queued by POST /triage, then running/done/partial/failed as the triage job goes.
nlohmann::json jobDocument(const QString &state, const aws::TriageRequest &request, const QByteArray &requestId,
                           const nlohmann::json &extra = {});

// Whether a job record still has a live invocation behind it. A fanned-out job runs for longer
// than any invocation, so its life is the last write of any of its invocations (job.json, a
// shard or progress file); nothing written for longer than Lambda's 15 minutes means the job is
// stuck and a new POST /triage may resume it.
class JobActivity {
public:
    static constexpr qint64 kLifetimeMs = 16 * 60 * 1000;
    static bool isLive(const nlohmann::json &job);
    // Reads the listing of the job's shard and progress files when job.json alone looks stale.
    static bool isLive(aws::S3Client &s3, const QString &bucket, const QString &prefix, const nlohmann::json &job);
};

} // namespace mt::lambda
