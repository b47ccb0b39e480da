#include "lambda/TriageJob.h"

#include "aws/S3Client.h"
#include "lambda/FanoutJob.h"
#include "lambda/FanoutPlan.h"
#include "lambda/JobDocument.h"
#include "lambda/JsonFields.h"
#include "lambda/JsonLog.h"
#include "lambda/LambdaServices.h"
#include "lambda/LambdaThumbnail.h"
#include "lambda/ObjectKeys.h"
#include "lambda/PreparedVideoPreparer.h"
#include "lambda/TransferStreams.h"
#include "lambda/TriageJobStages.h"
#include "lambda/WorkDir.h"
#include "media/MediaType.h"
#include "triage/TriageSession.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>
#include <atomic>
#include <optional>

namespace mt::lambda {

using nlohmann::json;

struct TriageJob::Job {
    const aws::TriageRequest &request;
    const aws::Invocation &invocation;
    aws::S3Client &s3;
    gemini::GeminiConfig config;
    bool gemini = false;
    QString engine;
    QString model;
    bool bounded = false; // the invocation has a deadline
    qint64 marginMs = 0;
    CancellationToken work; // cancelled at the deadline minus the margin
    WorkDir workDir;
    QSet<QString> listed; // every key of the prefix, for the prepared files next to the media

    Job(const aws::TriageRequest &r, const aws::Invocation &i, LambdaServices &services)
        : request(r), invocation(i), s3(services.s3()), config(services.gemini()), gemini(services.useGemini()),
          workDir(i.requestId)
    {
        if (!request.model.isEmpty())
            config.model = request.model;
        FanoutLimits::fromEnvironment().applyGeminiShare(config, false);
        engine = gemini ? QStringLiteral("gemini") : QStringLiteral("local");
        model = gemini ? config.model : QString();
        // Stop starting work early enough to upload what is finished.
        const qint64 remaining = invocation.remainingMs();
        bounded = remaining != std::numeric_limits<qint64>::max();
        marginMs = bounded ? safetyMarginMs(remaining) : 0;
        if (bounded)
            work.setTimeout(std::chrono::milliseconds(std::max<qint64>(0, remaining - marginMs)));
    }
    const QString &bucket() const { return request.bucket; }
    const QString &prefix() const { return request.prefix; }
    // Thumbnails may eat into the margin only while half of it is left: results.json matters more.
    bool thumbnailTimeLeft() const
    {
        return !bounded || QDateTime::currentMSecsSinceEpoch() < invocation.deadlineMs - marginMs / 2;
    }
};

namespace {

std::string utf8(const QString &s) { return s.toStdString(); }

std::optional<json> parseJson(const QByteArray &bytes)
{
    json doc = json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    if (doc.is_discarded())
        return std::nullopt;
    return doc;
}

// What an upload notification prepared for exactly this upload (compressed video, thumbnail).
void fetchPrepared(aws::S3Client &s3, const QString &bucket, const QSet<QString> &listed, const WorkDir &workDir,
                   const CancellationToken &work, JobEntry &e)
{
    const QString folder = ObjectKeys::preparedFolder(e.key);
    if (!listed.contains(folder + QStringLiteral("prepared.json")))
        return;
    auto manifest = s3.getObject(bucket, folder + QStringLiteral("prepared.json"), 1 << 20, work);
    const auto doc = manifest ? parseJson(*manifest) : std::nullopt;
    // Only a preparation of exactly this upload counts.
    if (!doc || !doc->is_object() || stringField(*doc, "etag").toLatin1() != aws::unquotedEtag(e.etag)
        || integerField(*doc, "size", -1) != e.sizeBytes)
        return;
    auto get = [&](const QString &name, const QString &extension) {
        const QString key = folder + name;
        const QString local = workDir.fileFor(QStringLiteral("prepared/") + e.relative + extension);
        return listed.contains(key) && s3.getObjectToFile(bucket, key, local, work) ? local : QString();
    };
    e.preparedVideo = get(QStringLiteral("video.webm"), QStringLiteral(".webm"));
    e.preparedThumb = get(QStringLiteral("thumb.jpg"), QStringLiteral(".jpg"));
}

// Downloads one object and what was prepared for it; runs on a download worker with that
// worker's client.
void fetch(aws::S3Client &s3, const QString &bucket, const QSet<QString> &listed, const WorkDir &workDir,
           const CancellationToken &work, JobEntry &e)
{
    auto got = s3.getObjectToFile(bucket, e.key, e.localPath, work);
    if (!got) {
        e.unfinished = work.isCancelled() && TriageJobStages::stoppedByDeadline(got.error());
        e.result.error = e.unfinished ? TriageJobStages::notJudgedError()
                                      : makeError(got.error().code, TriageJob::tr("cannot download: %1").arg(got.error().message));
        e.localPath.clear();
        return;
    }
    e.downloadedBytes = *got;
    fetchPrepared(s3, bucket, listed, workDir, work, e);
    e.media = inspectFile(e.localPath);
    e.kind = e.media->kind;
}

} // namespace

qint64 TriageJob::safetyMarginMs(qint64 remainingMs) { return std::clamp<qint64>(remainingMs / 5, 1000, 30000); }

void TriageJob::writeJob(Job &job, const QString &state, const json &extra)
{
    const json doc = jobDocument(state, job.request, job.invocation.requestId, extra);
    const QString key = ObjectKeys::jobKey(job.prefix());
    if (auto put = job.s3.putObject(job.bucket(), key, QByteArray::fromStdString(doc.dump()), "application/json"); !put)
        m_log.warn("job", tr("cannot write %1: %2").arg(key, put.error().message));
}

Result<std::vector<JobEntry>> TriageJob::list(Job &job)
{
    m_log.info("list", tr("listing s3://%1/%2").arg(job.bucket(), job.prefix()),
               {{"engine", utf8(job.engine)}, {"safetyMarginMs", job.marginMs}});
    QElapsedTimer stage;
    stage.start();
    auto listing = job.s3.listObjects(job.bucket(), job.prefix(), job.work);
    if (!listing) {
        writeJob(job, QStringLiteral("failed"), {{"error", utf8(listing.error().message)}});
        return makeError(listing.error().code,
                         tr("cannot list s3://%1/%2: %3").arg(job.bucket(), job.prefix(), listing.error().message));
    }
    writeJob(job, QStringLiteral("running"), {});
    for (const aws::S3ObjectInfo &o : *listing)
        job.listed.insert(o.key);

    // What an earlier run already decided.
    RememberedVerdicts remembered;
    const QString resultsKey = ObjectKeys::resultsKey(job.prefix());
    if (job.listed.contains(resultsKey)) {
        auto previous = job.s3.getObject(job.bucket(), resultsKey, 16 << 20, job.work);
        if (const auto doc = previous ? parseJson(*previous) : std::nullopt)
            remembered = TriageJobStages::rememberedVerdicts(*doc, job.engine, job.model);
    }
    int skipped = 0;
    std::vector<JobEntry> entries = TriageJobStages::entriesFromListing(*listing, job.prefix(), remembered, &skipped);
    // Reused verdicts keep the grouping signals measured when they were judged.
    if (const QString signalsKey = FanoutPlan::signalsKey(job.prefix()); job.listed.contains(signalsKey)) {
        auto stored = job.s3.getObject(job.bucket(), signalsKey, 256 << 20, job.work);
        if (const auto doc = stored ? parseJson(*stored) : std::nullopt)
            FanoutPlan::attachSignals(entries, *doc);
    }
    m_log.info("list", tr("listed"),
               {{"objects", listing->size()}, {"media", entries.size()}, {"skipped", skipped},
                {"reused", std::count_if(entries.begin(), entries.end(), [](const JobEntry &e) { return e.reused; })},
                {"durationMs", stage.elapsed()}});
    return entries;
}

void TriageJob::download(Job &job, std::vector<JobEntry> &entries)
{
    QElapsedTimer stage;
    stage.start();
    const qint64 stopAtMs = job.bounded ? job.invocation.deadlineMs - job.marginMs : std::numeric_limits<qint64>::max();
    inTransferStreams(m_services.awsConfig(), entries, [&](aws::S3Client &client, JobEntry &e) {
        if (!e.toJudge)
            return;
        if (QDateTime::currentMSecsSinceEpoch() >= stopAtMs) {
            e.unfinished = true;
            e.result.error = TriageJobStages::notJudgedError();
            return;
        }
        e.localPath = job.workDir.fileFor(QStringLiteral("media/") + e.relative);
        fetch(client, job.bucket(), job.listed, job.workDir, job.work, e);
    });

    qint64 bytes = 0;
    int files = 0, preparedVideos = 0;
    for (const JobEntry &e : entries) {
        files += e.media.has_value();
        bytes += e.downloadedBytes;
        preparedVideos += !e.preparedVideo.isEmpty();
    }
    m_log.info("download", tr("downloaded"), {{"files", files}, {"bytes", bytes}, {"preparedVideos", preparedVideos},
                                              {"durationMs", stage.elapsed()}});
}

Result<TriageRun> TriageJob::judge(Job &job, std::vector<JobEntry> &entries)
{
    QElapsedTimer stage;
    stage.start();
    std::vector<MediaItem> items;
    QHash<QString, QString> preparedVideos; // local original → local WebM
    for (JobEntry &e : entries) {
        if (!e.media)
            continue;
        if (!e.preparedVideo.isEmpty())
            preparedVideos.insert(e.localPath, e.preparedVideo);
        e.item = int(items.size());
        items.push_back(*e.media);
    }
    TriageRun run;
    run.engine = job.engine;
    run.model = job.model;
    if (!items.empty() && !job.work.isCancelled()) {
        SessionOptions options;
        options.engine = job.gemini ? EngineChoice::Gemini : EngineChoice::Local;
        options.gemini = job.config;
        options.storePath = job.workDir.fileFor(QStringLiteral("verdicts.sqlite"));
        options.preparer = MediaPreparer(std::make_shared<DownscalingPhotoPreparer>(),
                                         std::make_shared<PreparedVideoPreparer>(preparedVideos,
                                                                                 std::make_shared<CompressingVideoPreparer>()));
        options.checkModel = false;
        if (const int batch = qEnvironmentVariableIntValue("MT_LAMBDA_BATCH_ITEMS"); batch > 0)
            options.triage.maxBatchItems = batch;
        run = TriageSession(options).run(items, job.work);
        if (run.setupFailed && !job.work.isCancelled())
            return makeError(Error::Code::Io, run.stopped ? run.stopped->message : QString());
        if (run.stopped && !job.work.isCancelled())
            m_log.warn("judge", tr("the run stopped early: %1").arg(run.stopped->message));
    }
    const bool deadlineHit = job.work.isCancelled();
    TriageJobStages::applyOutcome(entries, run.items, deadlineHit);
    // What stopped the run is the deadline, whatever the engine called its cancellation.
    if (deadlineHit && (!run.stopped || TriageJobStages::stoppedByDeadline(*run.stopped)))
        run.stopped = makeError(Error::Code::Timeout, tr("stopped at the deadline's safety margin"));
    const auto unfinished = std::count_if(entries.begin(), entries.end(), [](const JobEntry &e) { return e.unfinished; });
    m_log.info("judge", deadlineHit ? tr("stopped at the deadline's safety margin") : tr("judged"),
               {{"items", items.size()}, {"unfinished", unfinished}, {"requests", run.usage.requests},
                {"promptTokens", run.usage.promptTokens}, {"outputTokens", run.usage.outputTokens},
                {"durationMs", stage.elapsed()}});
    return run;
}

void TriageJob::uploadThumbnails(Job &job, std::vector<JobEntry> &entries)
{
    // Only of what was downloaded now: reused items got theirs the first time.
    QElapsedTimer stage;
    stage.start();
    std::atomic<int> thumbs{0};
    std::atomic<bool> outOfTime{false};
    // A thumbnail that is still decoding at that point is abandoned too (the check below only
    // keeps new ones from starting).
    CancellationToken thumbsToken;
    if (job.bounded)
        thumbsToken.setTimeout(std::chrono::milliseconds(
            std::max<qint64>(0, job.invocation.deadlineMs - job.marginMs / 2 - QDateTime::currentMSecsSinceEpoch())));
    inTransferStreams(m_services.awsConfig(), entries, [&](aws::S3Client &client, JobEntry &e) {
        if (!e.media || outOfTime)
            return;
        if (!job.thumbnailTimeLeft()) {
            if (!outOfTime.exchange(true))
                m_log.warn("thumbs", tr("no time left for the remaining thumbnails"));
            return;
        }
        QString file = e.preparedThumb;
        if (file.isEmpty()) {
            auto image = LambdaThumbnail::render(*e.media, thumbsToken);
            if (!image) {
                m_log.warn("thumbs", tr("%1: %2").arg(e.key, image.error().message));
                return;
            }
            file = job.workDir.fileFor(QStringLiteral("thumbs/") + e.relative + QStringLiteral(".jpg"));
            if (!LambdaThumbnail::save(*image, file))
                return;
        }
        const QString key = ObjectKeys::thumbnailKey(job.prefix(), e.key);
        if (auto put = client.putObjectFromFile(job.bucket(), key, file, "image/jpeg"); !put) {
            m_log.warn("thumbs", tr("cannot upload %1: %2").arg(key, put.error().message));
            return;
        }
        e.thumbnailKey = key;
        ++thumbs;
    });
    m_log.info("thumbs", tr("thumbnails uploaded"), {{"thumbnails", thumbs.load()}, {"durationMs", stage.elapsed()}});
}

void TriageJob::measureSignals(Job &job, std::vector<JobEntry> &entries)
{
    QElapsedTimer stage;
    stage.start();
    std::vector<JobEntry *> photos;
    for (JobEntry &e : entries)
        if (e.media && e.kind == MediaKind::Photo && !e.grouping)
            photos.push_back(&e);
    // CPU-bound decodes: one per core. Past the deadline's margin a photo simply goes ungrouped.
    QtConcurrent::blockingMap(photos, [&job](JobEntry *e) {
        if (!job.work.isCancelled())
            e->grouping = GroupingSignalsCodec::measure(*e->media, job.work);
    });
    const auto measured = std::count_if(photos.begin(), photos.end(), [](const JobEntry *e) { return e->grouping.has_value(); });
    m_log.info("signals", tr("grouping signals measured"),
               {{"photos", photos.size()}, {"measured", measured}, {"durationMs", stage.elapsed()}});
}

Result<TriageRun> TriageJob::judgeWithThumbnails(Job &job, std::vector<JobEntry> &entries)
{
    // Thumbnails and grouping signals need no verdict: they are made and stored while the engine
    // waits for Gemini, instead of after it. They touch only fields the judging leaves alone
    // (thumbnailKey, grouping); the judging's own fields (result, item) are not read here.
    QThreadPool alongsidePool;
    alongsidePool.setMaxThreadCount(1);
    QFuture<void> alongside = QtConcurrent::run(&alongsidePool, [&] {
        measureSignals(job, entries);
        uploadThumbnails(job, entries);
    });
    auto run = judge(job, entries);
    alongside.waitForFinished();
    return run;
}

Result<TriageRun> TriageJob::triageEntries(const aws::TriageRequest &request, const aws::Invocation &invocation,
                                           const QSet<QString> &listed, std::vector<JobEntry> &entries)
{
    Job job(request, invocation, m_services);
    if (!job.workDir.ok())
        return makeError(Error::Code::Io, tr("cannot create the work folder %1").arg(job.workDir.path()));
    job.listed = listed;
    FanoutLimits::fromEnvironment().applyGeminiShare(job.config, true);
    download(job, entries);
    return judgeWithThumbnails(job, entries);
}

Result<json> TriageJob::writeResults(Job &job, const std::vector<JobEntry> &entries, const TriageRun &run)
{
    const ResultsContext context{job.bucket(), job.prefix(), job.invocation.requestId, job.engine, job.model,
                                 run.usage,    run.stopped,  run.unsavedVerdicts, QString()};
    const nlohmann::ordered_json doc = TriageJobStages::resultsReport(entries, context).toJson();
    const QString signalsKey = FanoutPlan::signalsKey(job.prefix());
    if (auto put = job.s3.putObject(job.bucket(), signalsKey, QByteArray::fromStdString(FanoutPlan::signalsDocument(entries).dump()),
                                    "application/json");
        !put)
        m_log.warn("signals", tr("cannot write %1: %2").arg(signalsKey, put.error().message));
    const QString key = ObjectKeys::resultsKey(job.prefix());
    if (auto put = job.s3.putObject(job.bucket(), key, QByteArray::fromStdString(doc.dump(2)), "application/json"); !put) {
        writeJob(job, QStringLiteral("failed"), {{"error", utf8(put.error().message)}});
        return makeError(put.error().code, tr("cannot write %1: %2").arg(key, put.error().message));
    }
    const bool partial = doc.at("partial").get<bool>();
    const json counts = json::parse(doc.at("counts").dump());
    writeJob(job, partial ? QStringLiteral("partial") : QStringLiteral("done"), {{"counts", counts}});
    return json{{"bucket", utf8(job.bucket())},
                {"prefix", utf8(job.prefix())},
                {"engine", utf8(job.engine)},
                {"model", job.model.isEmpty() ? json() : json(utf8(job.model))},
                {"partial", partial},
                {"results", utf8(key)},
                {"counts", counts},
                {"usage", json::parse(doc.at("usage").dump())}};
}

Result<json> TriageJob::run(const aws::TriageRequest &request, const aws::Invocation &invocation)
{
    QElapsedTimer total;
    total.start();
    Job job(request, invocation, m_services);
    if (!job.workDir.ok())
        return makeError(Error::Code::Io, tr("cannot create the work folder %1").arg(job.workDir.path()));
    auto entries = list(job);
    if (!entries)
        return entries.error();
    // More than one shard's worth: shard invocations judge it (FanoutJob) and this one returns.
    if (auto started = FanoutJob(m_services, m_log).startIfLarge(request, invocation, *entries, job.listed))
        return *started;
    download(job, *entries);
    auto run = judgeWithThumbnails(job, *entries);
    if (!run)
        return run.error();
    GroupingSignalsCodec::applyGroups(*entries);
    auto summary = writeResults(job, *entries, *run);
    if (!summary)
        return summary;
    (*summary)["durationMs"] = total.elapsed();
    m_log.info("done", (*summary)["partial"].get<bool>() ? tr("partial result written") : tr("results written"),
               {{"counts", (*summary)["counts"]}, {"durationMs", total.elapsed()}});
    return summary;
}

} // namespace mt::lambda
