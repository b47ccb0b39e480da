#include "lambda/JobDocument.h"

#include "aws/S3Client.h"
#include "lambda/JsonFields.h"
#include "lambda/ObjectKeys.h"

#include <QDateTime>

namespace mt::lambda {

using nlohmann::json;

json jobDocument(const QString &state, const aws::TriageRequest &request, const QByteArray &requestId, const json &extra)
{
    json doc = {{"state", state.toStdString()},
                {"bucket", request.bucket.toStdString()},
                {"prefix", request.prefix.toStdString()},
                {"model", request.model.isEmpty() ? json() : json(request.model.toStdString())},
                {"requestId", requestId.toStdString()},
                {"updatedAt", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()}};
    if (extra.is_object())
        for (const auto &[k, v] : extra.items())
            doc[k] = v;
    return doc;
}

namespace {

bool active(const json &job)
{
    const QString state = stringField(job, "state");
    return state == QLatin1String("queued") || state == QLatin1String("running");
}

bool recent(const QDateTime &at)
{
    return at.isValid() && at.msecsTo(QDateTime::currentDateTimeUtc()) < JobActivity::kLifetimeMs;
}

} // namespace

bool JobActivity::isLive(const json &job)
{
    return active(job) && recent(QDateTime::fromString(stringField(job, "updatedAt"), Qt::ISODateWithMs));
}

bool JobActivity::isLive(aws::S3Client &s3, const QString &bucket, const QString &prefix, const json &job)
{
    if (!active(job))
        return false;
    if (isLive(job))
        return true;
    if (integerField(job, "shards_total", 0) <= 0)
        return false;
    for (const char *folder : {"shards/", "progress/"}) {
        auto listing = s3.listObjects(bucket, ObjectKeys::triageFolder(prefix) + QLatin1String(folder));
        if (!listing)
            return true; // cannot tell: do not start a second job over a live one
        for (const aws::S3ObjectInfo &o : *listing)
            if (recent(o.lastModified))
                return true;
    }
    return false;
}

} // namespace mt::lambda
