#pragma once

#include "aws/LambdaEvents.h"
#include "aws/LambdaRuntimeClient.h"
#include "common/Result.h"
#include "media/MediaItem.h"

#include <QCoreApplication>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <functional>
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
class UploadPreparer {
    Q_DECLARE_TR_FUNCTIONS(UploadPreparer)
public:
    UploadPreparer(LambdaServices &services, JsonLog &log) : m_services(services), m_log(log) {}

    Result<nlohmann::json> run(const std::vector<aws::S3ObjectEvent> &records, const aws::Invocation &invocation);

private:
    // "prepared", "unchanged", "skipped" or "failed" (permanent); an error for transient failures.
    Result<nlohmann::json> prepareOne(const aws::S3ObjectEvent &record, const QString &workDir,
                                      const CancellationToken &token);

    using Upload = std::function<Status(const QString &name, const QByteArray &bytes, const QString &file,
                                        const QByteArray &type)>;
    Status uploadDerived(const MediaItem &item, const QString &local, const QString &workDir,
                         const CancellationToken &token, const Upload &upload, QStringList &problems);

    // True when prepared.json already describes this very upload.
    Result<bool> alreadyPrepared(const aws::S3ObjectEvent &record, const QString &manifestKey,
                                 const CancellationToken &token);

    LambdaServices &m_services;
    JsonLog &m_log;
};

} // namespace mt::lambda
