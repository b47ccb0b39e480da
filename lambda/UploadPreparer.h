#pragma once

#include "aws/LambdaEvents.h"
#include "aws/LambdaRuntimeClient.h"
#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"

#include <QCoreApplication>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <vector>

namespace mt::lambda {

class JsonLog;
class LambdaServices;

// S3 ObjectCreated notifications: each new photo or video is prepared where it landed, so a big
// upload fans out over many concurrent Lambdas and the later triage only has to judge:
//
//   <dir>/_triage/prepared/<name>/metadata.json   the item and its metadata (as `info --json`)
//                                  thumb.jpg       512 px thumbnail
//                                  video.webm      videos: the AV1/Opus file Gemini would be sent
//                                  prepared.json   written last: source ETag and size, the files, or
//                                                  the error that makes this file unusable
//
// Redelivery of the same upload (same ETag and size) finds prepared.json and does nothing. A file
// that cannot be prepared is recorded in prepared.json and answered with success: retrying would
// not help. Only transient failures (S3 unreachable, throttled) are errors, which Lambda retries.
//
// Time: every media step has the file's budget (MediaBudget); a file past it is a permanent
// failure ("took too long to decode"). All of them stop at the invocation's safety margin, and
// what is finished is still written inside the margin. A record cut off by the deadline is
// retried, unless it had the whole invocation to itself: then a retry would end the same way.
class UploadPreparer {
    Q_DECLARE_TR_FUNCTIONS(UploadPreparer)
public:
    UploadPreparer(LambdaServices &services, JsonLog &log) : m_services(services), m_log(log) {}

    Result<nlohmann::json> run(const std::vector<aws::S3ObjectEvent> &records, const aws::Invocation &invocation);

private:
    struct Deadlines {
        CancellationToken work;   // downloads and media steps: stops at the safety margin
        CancellationToken answer; // writing what is done: a little further into the margin
        bool wholeInvocation = false; // the first record: nothing else used its time
    };
    struct Outputs {
        QByteArray metadataJson;
        QString thumbFile;
        QString webmFile;
        QStringList problems;
    };

    // "prepared", "unchanged", "skipped" or "failed" (permanent); an error for transient failures.
    Result<nlohmann::json> prepareOne(const aws::S3ObjectEvent &record, const QString &workDir, const Deadlines &deadlines);
    // The files for one downloaded object; an error when the deadline cut it off and a retry can help.
    Result<Outputs> prepareMedia(const MediaItem &item, const QString &workDir, const Deadlines &deadlines) const;

    LambdaServices &m_services;
    JsonLog &m_log;
};

} // namespace mt::lambda
