#include "lambda/UploadPreparer.h"

#include "aws/S3Client.h"
#include "lambda/JsonFields.h"
#include "lambda/JsonLog.h"
#include "lambda/LambdaThumbnail.h"
#include "lambda/LambdaServices.h"
#include "lambda/ObjectKeys.h"
#include "lambda/TriageJob.h"
#include "lambda/WorkDir.h"
#include "media/MediaType.h"
#include "metadata/MetadataJson.h"
#include "metadata/MetadataReader.h"
#include "triage/MediaPreparer.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>

namespace mt::lambda {

using nlohmann::json;

Result<json> UploadPreparer::run(const std::vector<aws::S3ObjectEvent> &records, const aws::Invocation &invocation)
{
    QElapsedTimer timer;
    timer.start();
    WorkDir workDir(invocation.requestId);
    if (!workDir.ok())
        return makeError(Error::Code::Io, tr("cannot create the work folder %1").arg(workDir.path()));
    CancellationToken token;
    if (const qint64 remaining = invocation.remainingMs(); remaining != std::numeric_limits<qint64>::max())
        token.setTimeout(std::chrono::milliseconds(std::max<qint64>(0, remaining - TriageJob::safetyMarginMs(remaining))));

    json outcomes = json::array();
    std::optional<Error> retry;
    int index = 0;
    for (const aws::S3ObjectEvent &record : records) {
        auto outcome = prepareOne(record, QDir(workDir.path()).filePath(QString::number(index++)), token);
        if (!outcome) {
            // Keep going: the other records may succeed and are idempotent on the retry anyway.
            m_log.error("prepare", tr("%1: %2").arg(record.key, outcome.error().message));
            retry = outcome.error();
            outcomes.push_back({{"key", record.key.toStdString()}, {"outcome", "retry"},
                                {"error", outcome.error().message.toStdString()}});
            continue;
        }
        outcomes.push_back(*outcome);
    }
    m_log.info("prepare", tr("notification handled"), {{"records", records.size()}, {"durationMs", timer.elapsed()}});
    if (retry)
        return makeError(retry->code, tr("a transient failure; the notification should be retried: %1").arg(retry->message));
    return json{{"records", outcomes}};
}

// Idempotence: the same upload again (at-least-once delivery) costs one small GET.
Result<bool> UploadPreparer::alreadyPrepared(const aws::S3ObjectEvent &record, const QString &manifestKey,
                                             const CancellationToken &token)
{
    auto existing = m_services.s3().getObject(record.bucket, manifestKey, 1 << 20, token);
    if (!existing)
        return existing.error().code == Error::Code::NotFound ? Result<bool>(false) : Result<bool>(existing.error());
    const json doc = json::parse(existing->constBegin(), existing->constEnd(), nullptr, false);
    return stringField(doc, "etag").toLatin1() == record.etag && integerField(doc, "size", -2) == record.size;
}

// The thumbnail and, for a video, the compressed WebM; what cannot be made is added to `problems`,
// an error only for a transient failure (upload, deadline).
Status UploadPreparer::uploadDerived(const MediaItem &item, const QString &local, const QString &workDir,
                                     const CancellationToken &token, const Upload &upload, QStringList &problems)
{
    auto image = LambdaThumbnail::render(item, token);
    if (image) {
        const QString thumb = local + QStringLiteral(".thumb.jpg");
        if (LambdaThumbnail::save(*image, thumb)) {
            if (auto put = upload(QStringLiteral("thumb.jpg"), {}, thumb, "image/jpeg"); !put)
                return put.error();
        }
    } else {
        problems << tr("thumbnail: %1").arg(image.error().message);
    }
    if (item.kind != MediaKind::Video)
        return Done{};
    auto webm = CompressingVideoPreparer().prepare(item, workDir, token);
    if (webm) {
        if (auto put = upload(QStringLiteral("video.webm"), {}, webm->uploadPath, "video/webm"); !put)
            return put.error();
    } else if (webm.error().code == Error::Code::Cancelled) {
        return makeError(Error::Code::Timeout, tr("the deadline came before the video was compressed"));
    } else {
        problems << tr("compression: %1").arg(webm.error().message);
    }
    return Done{};
}

Result<json> UploadPreparer::prepareOne(const aws::S3ObjectEvent &record, const QString &workDir,
                                        const CancellationToken &token)
{
    aws::S3Client &s3 = m_services.s3();
    json out = {{"key", record.key.toStdString()}};
    auto finish = [&](const char *outcome, const QString &detail = {}) {
        out["outcome"] = outcome;
        if (!detail.isEmpty())
            out["detail"] = detail.toStdString();
        return out;
    };
    if (!record.created())
        return finish("skipped", tr("not an upload (%1)").arg(record.eventName));
    if (ObjectKeys::isTriageArtifact(record.key))
        return finish("skipped", tr("our own output"));
    if (!mediaTypeForExtension(record.key))
        return finish("skipped", tr("not a photo or video"));
    const auto rel = ObjectKeys::localRelativePath(record.key);
    if (!rel)
        return finish("failed", tr("refused key: %1").arg(rel.error().message));

    const QString folder = ObjectKeys::preparedFolder(record.key);
    const QString manifestKey = folder + QStringLiteral("prepared.json");
    auto done = alreadyPrepared(record, manifestKey, token);
    if (!done)
        return done.error();
    if (*done)
        return finish("unchanged");

    QDir().mkpath(workDir);
    const QString local = QDir(workDir).filePath(QStringLiteral("media/") + *rel);
    QDir().mkpath(QFileInfo(local).absolutePath());
    auto got = s3.getObjectToFile(record.bucket, record.key, local, token);
    if (!got) {
        if (got.error().code == Error::Code::NotFound)
            return finish("skipped", tr("the object is gone"));
        return got.error();
    }
    // The object we actually read, for the manifest (a newer upload may have replaced the event's).
    QByteArray etag = record.etag;
    qint64 size = *got;
    if (auto head = s3.headObject(record.bucket, record.key, token); head) {
        etag = head->etag;
        size = head->size;
    }

    json manifest = {{"sourceKey", record.key.toStdString()},
                     {"etag", aws::unquotedEtag(etag).toStdString()},
                     {"size", size},
                     {"preparedAt", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()}};
    json files = json::array();
    QStringList problems;
    const MediaItem item = inspectFile(local);
    auto upload = [&](const QString &name, const QByteArray &bytes, const QString &file, const QByteArray &type) -> Status {
        const QString key = folder + name;
        Status put = file.isEmpty() ? s3.putObject(record.bucket, key, bytes, type, token)
                                    : s3.putObjectFromFile(record.bucket, key, file, type, token);
        if (put)
            files.push_back(name.toStdString());
        return put;
    };

    const auto metadata = readMetadata(item);
    if (auto put = upload(QStringLiteral("metadata.json"), QByteArray::fromStdString(metadataToJson(item, metadata).dump(2)),
                          {}, "application/json");
        !put)
        return put.error();
    if (!item.ok())
        problems << *item.error;
    else if (Status made = uploadDerived(item, local, workDir, token, upload, problems); !made)
        return made.error();
    manifest["files"] = files;
    manifest["error"] = problems.isEmpty() ? json() : json(problems.join(QStringLiteral("; ")).toStdString());
    if (auto put = s3.putObject(record.bucket, manifestKey, QByteArray::fromStdString(manifest.dump(2)), "application/json", token);
        !put)
        return put.error();
    m_log.info("prepare", tr("prepared %1").arg(record.key), {{"files", files.size()}, {"problems", problems.size()}});
    return finish(problems.isEmpty() ? "prepared" : "failed", problems.join(QStringLiteral("; ")));
}

} // namespace mt::lambda
