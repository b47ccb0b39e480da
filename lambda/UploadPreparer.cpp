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
    Deadlines deadlines;
    if (const qint64 remaining = invocation.remainingMs(); remaining != std::numeric_limits<qint64>::max()) {
        const qint64 margin = TriageJob::safetyMarginMs(remaining);
        deadlines.work.setTimeout(std::chrono::milliseconds(std::max<qint64>(0, remaining - margin)));
        deadlines.answer.setTimeout(std::chrono::milliseconds(std::max<qint64>(0, remaining - margin / 4)));
    }

    json outcomes = json::array();
    std::optional<Error> retry;
    int index = 0;
    for (const aws::S3ObjectEvent &record : records) {
        deadlines.wholeInvocation = index == 0;
        auto outcome = prepareOne(record, QDir(workDir.path()).filePath(QString::number(index++)), deadlines);
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

Result<UploadPreparer::Outputs> UploadPreparer::prepareMedia(const MediaItem &item, const QString &workDir,
                                                             const Deadlines &deadlines) const
{
    Outputs out;
    // A step the invocation's deadline stopped, rather than its own budget or the file.
    auto failed = [&](const QString &step, const Error &error) -> Status {
        if (!deadlines.work.isCancelled())
            out.problems << tr("%1: %2").arg(step, error.message);
        else if (deadlines.wholeInvocation)
            out.problems << tr("%1: not finished within the function's time limit; a longer timeout would let it finish").arg(step);
        else
            return makeError(Error::Code::Timeout, tr("the deadline came before %1 was prepared").arg(item.fileName));
        return Done{};
    };
    const auto metadata = readMetadata(item, deadlines.work);
    out.metadataJson = QByteArray::fromStdString(metadataToJson(item, metadata).dump(2));
    if (!item.ok()) {
        out.problems << *item.error;
        return out;
    }
    if (auto image = LambdaThumbnail::render(item, deadlines.work)) {
        const QString thumb = item.path + QStringLiteral(".thumb.jpg");
        if (LambdaThumbnail::save(*image, thumb))
            out.thumbFile = thumb;
    } else if (Status st = failed(tr("thumbnail"), image.error()); !st) {
        return st.error();
    }
    if (item.kind == MediaKind::Video) {
        if (auto webm = CompressingVideoPreparer().prepare(item, workDir, deadlines.work))
            out.webmFile = webm->uploadPath;
        else if (Status st = failed(tr("compression"), webm.error()); !st)
            return st.error();
    }
    return out;
}

Result<json> UploadPreparer::prepareOne(const aws::S3ObjectEvent &record, const QString &workDir, const Deadlines &deadlines)
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
    const CancellationToken &work = deadlines.work;
    // Idempotence: the same upload again (at-least-once delivery) costs one small GET.
    auto existing = s3.getObject(record.bucket, manifestKey, 1 << 20, work);
    if (existing) {
        const json doc = json::parse(existing->constBegin(), existing->constEnd(), nullptr, false);
        if (stringField(doc, "etag").toLatin1() == record.etag && integerField(doc, "size", -2) == record.size)
            return finish("unchanged");
    } else if (existing.error().code != Error::Code::NotFound) {
        return existing.error();
    }

    QDir().mkpath(workDir);
    const QString local = QDir(workDir).filePath(QStringLiteral("media/") + *rel);
    QDir().mkpath(QFileInfo(local).absolutePath());
    auto got = s3.getObjectToFile(record.bucket, record.key, local, work);
    if (!got) {
        if (got.error().code == Error::Code::NotFound)
            return finish("skipped", tr("the object is gone"));
        return got.error();
    }
    // The object we actually read, for the manifest (a newer upload may have replaced the event's).
    QByteArray etag = record.etag;
    qint64 size = *got;
    if (auto head = s3.headObject(record.bucket, record.key, work); head) {
        etag = head->etag;
        size = head->size;
    }

    auto outputs = prepareMedia(inspectFile(local), workDir, deadlines);
    if (!outputs)
        return outputs.error();
    json files = json::array();
    auto upload = [&](const QString &name, const QByteArray &bytes, const QString &file, const QByteArray &type) -> Status {
        const QString key = folder + name;
        Status put = file.isEmpty() ? s3.putObject(record.bucket, key, bytes, type, deadlines.answer)
                                    : s3.putObjectFromFile(record.bucket, key, file, type, deadlines.answer);
        if (put)
            files.push_back(name.toStdString());
        return put;
    };
    if (auto put = upload(QStringLiteral("metadata.json"), outputs->metadataJson, {}, "application/json"); !put)
        return put.error();
    if (!outputs->thumbFile.isEmpty())
        if (auto put = upload(QStringLiteral("thumb.jpg"), {}, outputs->thumbFile, "image/jpeg"); !put)
            return put.error();
    if (!outputs->webmFile.isEmpty())
        if (auto put = upload(QStringLiteral("video.webm"), {}, outputs->webmFile, "video/webm"); !put)
            return put.error();

    const QStringList &problems = outputs->problems;
    const json manifest = {{"sourceKey", record.key.toStdString()},
                           {"etag", aws::unquotedEtag(etag).toStdString()},
                           {"size", size},
                           {"preparedAt", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()},
                           {"files", files},
                           {"error", problems.isEmpty() ? json() : json(problems.join(QStringLiteral("; ")).toStdString())}};
    if (auto put = s3.putObject(record.bucket, manifestKey, QByteArray::fromStdString(manifest.dump(2)), "application/json",
                                deadlines.answer);
        !put)
        return put.error();
    m_log.info("prepare", tr("prepared %1").arg(record.key), {{"files", files.size()}, {"problems", problems.size()}});
    return finish(problems.isEmpty() ? "prepared" : "failed", problems.join(QStringLiteral("; ")));
}

} // namespace mt::lambda
