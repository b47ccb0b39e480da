#pragma once

#include "aws/LambdaEvents.h"
#include "aws/LambdaRuntimeClient.h"
#include "common/Result.h"

#include <QCoreApplication>
#include <QSet>

#include <nlohmann/json.hpp>

#include <vector>

namespace mt {
struct TriageRun;
}

namespace mt::lambda {

struct JobEntry;

class JsonLog;
class LambdaServices;

// A direct triage invoke: list the prefix, download the media into the invocation's work folder,
// judge it with the core (Gemini when a key is configured, the offline analysis otherwise), and
// write `P_triage/results.json` (the core's TriageReport document, with keys, ETags, sizes and
// thumbnails), `P_triage/thumbs/` and `P_triage/job.json` back to the bucket.
//
// Deadline: new work stops with a safety margin before Lambda's deadline, leaving time to upload
// what is finished; the answer then says `"partial": true` and the unfinished items carry an
// error saying so (code `timeout`). Verdicts already in results.json for an unchanged object
// (same ETag and size, same engine and model) are reused, so a second invoke finishes the job
// without paying twice.
class TriageJob {
    Q_DECLARE_TR_FUNCTIONS(TriageJob)
public:
    TriageJob(LambdaServices &services, JsonLog &log) : m_services(services), m_log(log) {}

    // The summary; an error only when nothing useful could be done (the bucket cannot be listed,
    // the results cannot be written): that is worth Lambda's retry.
    Result<nlohmann::json> run(const aws::TriageRequest &request, const aws::Invocation &invocation);

    // A shard worker's part (FanoutJob): downloads the entries to judge, judges them with the
    // core session, uploads their thumbnails and measures their grouping signals, all within the
    // invocation's deadline; entries the deadline cut are left `unfinished`. `listed` holds the
    // keys of prepared artifacts that may be fetched with the media.
    Result<TriageRun> triageEntries(const aws::TriageRequest &request, const aws::Invocation &invocation,
                                    const QSet<QString> &listed, std::vector<JobEntry> &entries);

    // The time kept free at the end of an invocation for uploads: a fifth of what is left,
    // between 1 s and 30 s.
    static qint64 safetyMarginMs(qint64 remainingMs);

private:
    struct Job; // one invocation's settings, deadline and work folder

    // The stages, in order; the pure decisions between them are in TriageJobStages.
    Result<std::vector<JobEntry>> list(Job &job);
    void download(Job &job, std::vector<JobEntry> &entries);
    Result<TriageRun> judge(Job &job, std::vector<JobEntry> &entries);
    void uploadThumbnails(Job &job, std::vector<JobEntry> &entries);
    void measureSignals(Job &job, std::vector<JobEntry> &entries);
    // judge() with uploadThumbnails() and measureSignals() running beside it.
    Result<TriageRun> judgeWithThumbnails(Job &job, std::vector<JobEntry> &entries);
    Result<nlohmann::json> writeResults(Job &job, const std::vector<JobEntry> &entries, const TriageRun &run);
    void writeJob(Job &job, const QString &state, const nlohmann::json &extra);

    LambdaServices &m_services;
    JsonLog &m_log;
};

} // namespace mt::lambda
