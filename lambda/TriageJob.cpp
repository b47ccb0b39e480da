#include "lambda/TriageJob.h"

#include "aws/S3Client.h"
#include "lambda/JobDocument.h"
#include "lambda/JsonFields.h"
#include "lambda/JsonLog.h"
#include "lambda/LambdaThumbnail.h"
#include "lambda/LambdaServices.h"
#include "lambda/ObjectKeys.h"
#include "lambda/PreparedVideoPreparer.h"
#include "lambda/WorkDir.h"
#include "media/MediaType.h"
#include "quality/LocalFirstTriage.h"
#include "quality/QualityAnalyzer.h"
#include "triage/ContentHash.h"
#include "triage/TriageEngine.h"
#include "triage/VerdictStore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>
#include <atomic>
#include <optional>

namespace mt::lambda {

using nlohmann::json;

namespace {

std::string utf8(const QString &s) { return s.toStdString(); }
json nullable(const QString &s) { return s.isEmpty() ? json() : json(s.toStdString()); }

// What results.json remembers about one object, to skip it next time.
struct Remembered {
    QByteArray etag;
    qint64 size = -1;
    QString verdict;
    QString reason;
    QString thumbnail;
};

// One listed object on its way through the run.
struct Entry {
    QString key;
    qint64 size = 0;
    QByteArray etag;
    QString localPath;
    QString relative; // validated local name; derived files go to their own trees under it
    int item = -1; // index into the engine's input
    QString verdict = QStringLiteral("error");
    QString reason;
    QString source;
    QString error;
    bool judged = false;
    bool reused = false;
    bool unfinished = false;
    QString thumbnailKey;
    // Filled by the download workers.
    std::optional<MediaItem> media;
    qint64 downloadedBytes = 0;
    QString preparedVideo; // local WebM an upload notification made for this object
    QString preparedThumb; // local JPEG, likewise
};

// Objects fetched at once: per-object latency dominates photo downloads from S3, and a few
// streams in parallel hide it without filling /tmp any faster than the judging empties it.
constexpr int kDownloadStreams = 6;

QString notJudgedMessage() { return QCoreApplication::translate("TriageJob", "not judged before the deadline"); }

std::optional<json> parseJson(const QByteArray &bytes)
{
    json doc = json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    if (doc.is_discarded())
        return std::nullopt;
    return doc;
}

// Downloads one object and what an upload notification prepared for exactly this upload
// (compressed video, thumbnail); runs on a download worker with that worker's client.
void fetch(aws::S3Client &s3, const QString &bucket, const QHash<QString, aws::S3ObjectInfo> &listed,
           const WorkDir &workDir, const CancellationToken &work, Entry &e)
{
    auto got = s3.getObjectToFile(bucket, e.key, e.localPath, work);
    if (!got) {
        e.unfinished = work.isCancelled();
        e.error = e.unfinished ? notJudgedMessage()
                               : QCoreApplication::translate("TriageJob", "cannot download: %1").arg(got.error().message);
        e.localPath.clear();
        return;
    }
    e.downloadedBytes = *got;
    const QString folder = ObjectKeys::preparedFolder(e.key);
    if (listed.contains(folder + QStringLiteral("prepared.json"))) {
        auto manifest = s3.getObject(bucket, folder + QStringLiteral("prepared.json"), 1 << 20, work);
        const auto doc = manifest ? parseJson(*manifest) : std::nullopt;
        // Only a preparation of exactly this upload counts.
        if (doc && doc->is_object() && stringField(*doc, "etag").toLatin1() == aws::unquotedEtag(e.etag)
            && integerField(*doc, "size", -1) == e.size) {
            const QString webm = folder + QStringLiteral("video.webm");
            if (listed.contains(webm)) {
                const QString local = workDir.fileFor(QStringLiteral("prepared/") + e.relative + QStringLiteral(".webm"));
                if (s3.getObjectToFile(bucket, webm, local, work))
                    e.preparedVideo = local;
            }
            const QString thumb = folder + QStringLiteral("thumb.jpg");
            if (listed.contains(thumb)) {
                const QString local = workDir.fileFor(QStringLiteral("prepared/") + e.relative + QStringLiteral(".jpg"));
                if (s3.getObjectToFile(bucket, thumb, local, work))
                    e.preparedThumb = local;
            }
        }
    }
    e.media = inspectFile(e.localPath);
}

} // namespace

qint64 TriageJob::safetyMarginMs(qint64 remainingMs) { return std::clamp<qint64>(remainingMs / 5, 1000, 30000); }

Result<json> TriageJob::run(const aws::TriageRequest &request, const aws::Invocation &invocation)
{
    QElapsedTimer total;
    total.start();
    aws::S3Client &s3 = m_services.s3();
    const QString &bucket = request.bucket;
    const QString &prefix = request.prefix;
    const bool gemini = m_services.useGemini();
    gemini::GeminiConfig config = m_services.gemini();
    if (!request.model.isEmpty())
        config.model = request.model;
    const QString engineName = gemini ? QStringLiteral("gemini") : QStringLiteral("local");
    const QString model = gemini ? config.model : QString();

    // Stop starting work early enough to upload what is finished.
    const qint64 remaining = invocation.remainingMs();
    const bool bounded = remaining != std::numeric_limits<qint64>::max();
    const qint64 margin = bounded ? safetyMarginMs(remaining) : 0;
    const qint64 stopAtMs = bounded ? invocation.deadlineMs - margin : std::numeric_limits<qint64>::max();
    CancellationToken work;
    if (bounded)
        work.setTimeout(std::chrono::milliseconds(std::max<qint64>(0, remaining - margin)));
    auto pastStop = [&] { return QDateTime::currentMSecsSinceEpoch() >= stopAtMs; };

    auto writeJob = [&](const QString &state, const json &extra) {
        const json doc = jobDocument(state, request, invocation.requestId, extra);
        if (auto put = s3.putObject(bucket, ObjectKeys::jobKey(prefix), QByteArray::fromStdString(doc.dump()),
                                    "application/json");
            !put)
            m_log.warn("job", tr("cannot write %1: %2").arg(ObjectKeys::jobKey(prefix), put.error().message));
    };

    WorkDir workDir(invocation.requestId);
    if (!workDir.ok())
        return makeError(Error::Code::Io, tr("cannot create the work folder %1").arg(workDir.path()));

    m_log.info("list", tr("listing s3://%1/%2").arg(bucket, prefix), {{"engine", utf8(engineName)}, {"safetyMarginMs", margin}});
    QElapsedTimer stage;
    stage.start();
    auto listing = s3.listObjects(bucket, prefix, work);
    if (!listing) {
        writeJob(QStringLiteral("failed"), {{"error", utf8(listing.error().message)}});
        return makeError(listing.error().code, tr("cannot list s3://%1/%2: %3").arg(bucket, prefix, listing.error().message));
    }
    writeJob(QStringLiteral("running"), {});
    QHash<QString, aws::S3ObjectInfo> listed;
    for (const aws::S3ObjectInfo &o : *listing)
        listed.insert(o.key, o);

    // What an earlier run already decided.
    QHash<QString, Remembered> remembered;
    if (listed.contains(ObjectKeys::resultsKey(prefix))) {
        auto previous = s3.getObject(bucket, ObjectKeys::resultsKey(prefix), 16 << 20, work);
        const auto doc = previous ? parseJson(*previous) : std::nullopt;
        if (doc && doc->is_object() && stringField(*doc, "engine") == engineName && stringField(*doc, "model") == model
            && doc->contains("items") && (*doc)["items"].is_array()) {
            for (const json &item : (*doc)["items"]) {
                const QString verdict = stringField(item, "verdict");
                if (verdict != QLatin1String("keep") && verdict != QLatin1String("discard"))
                    continue;
                remembered.insert(stringField(item, "key"), Remembered{stringField(item, "etag").toLatin1(), integerField(item, "size", -1),
                                                               verdict, stringField(item, "reason"), stringField(item, "thumbnail")});
            }
        }
    }

    std::vector<Entry> entries;
    int skipped = 0;
    for (const aws::S3ObjectInfo &o : *listing) {
        if (o.key.endsWith(u'/') || ObjectKeys::isTriageArtifact(o.key, prefix) || !mediaTypeForExtension(o.key)) {
            ++skipped;
            continue;
        }
        Entry e;
        e.key = o.key;
        e.size = o.size;
        e.etag = o.etag;
        e.thumbnailKey = ObjectKeys::thumbnailKey(prefix, o.key);
        if (auto rel = ObjectKeys::localRelativePath(o.key); !rel) {
            e.error = tr("refused key: %1").arg(rel.error().message);
        } else if (const auto r = remembered.constFind(o.key);
                   r != remembered.constEnd() && r->etag == o.etag && r->size == o.size) {
            e.verdict = r->verdict;
            e.reason = r->reason;
            e.source = QStringLiteral("cache");
            e.thumbnailKey = r->thumbnail; // what the earlier run managed to upload, if anything
            e.judged = e.reused = true;
        } else {
            e.relative = *rel;
            e.localPath = workDir.fileFor(QStringLiteral("media/") + *rel);
        }
        entries.push_back(std::move(e));
    }
    m_log.info("list", tr("listed"), {{"objects", listing->size()}, {"media", entries.size()}, {"skipped", skipped},
                                      {"reused", std::count_if(entries.begin(), entries.end(), [](const Entry &e) { return e.reused; })},
                                      {"durationMs", stage.elapsed()}});

    // Download, and pick up what upload notifications prepared (compressed video, thumbnail).
    stage.restart();
    // Each worker has its own S3 client (one per thread) and takes the next entry until none is
    // left or the stop time has come; what each fetched is gathered in listing order afterwards.
    std::atomic<size_t> next{0};
    auto fetchAll = [&] {
        aws::S3Client client(m_services.awsConfig());
        for (size_t i = next++; i < entries.size(); i = next++) {
            Entry &e = entries[i];
            if (e.localPath.isEmpty())
                continue;
            if (pastStop()) {
                e.unfinished = true;
                e.error = notJudgedMessage();
                e.localPath.clear();
                continue;
            }
            fetch(client, bucket, listed, workDir, work, e);
        }
    };
    QThreadPool downloads;
    downloads.setMaxThreadCount(kDownloadStreams);
    QList<QFuture<void>> workers;
    for (int w = 0; w < std::min<int>(kDownloadStreams, int(entries.size())); ++w)
        workers << QtConcurrent::run(&downloads, fetchAll);
    for (QFuture<void> &f : workers)
        f.waitForFinished();

    QHash<QString, QString> preparedVideos; // local original → local WebM
    QHash<QString, QString> preparedThumbs; // key → local JPEG
    std::vector<MediaItem> items;
    qint64 downloaded = 0;
    for (Entry &e : entries) {
        if (!e.media)
            continue;
        downloaded += e.downloadedBytes;
        if (!e.preparedVideo.isEmpty())
            preparedVideos.insert(e.localPath, e.preparedVideo);
        if (!e.preparedThumb.isEmpty())
            preparedThumbs.insert(e.key, e.preparedThumb);
        e.item = int(items.size());
        items.push_back(*e.media);
    }
    m_log.info("download", tr("downloaded"), {{"files", items.size()}, {"bytes", downloaded},
                                              {"preparedVideos", preparedVideos.size()}, {"durationMs", stage.elapsed()}});

    // Judge.
    stage.restart();
    std::vector<TriageItemResult> results(items.size());
    gemini::UsageTotals usage;
    if (!items.empty() && !work.isCancelled()) {
        if (gemini) {
            auto store = VerdictStore::open(workDir.fileFor(QStringLiteral("verdicts.sqlite")));
            if (!store)
                return makeError(Error::Code::Io, store.error().message);
            MediaPreparer preparer(std::make_shared<DownscalingPhotoPreparer>(),
                                   std::make_shared<PreparedVideoPreparer>(preparedVideos,
                                                                           std::make_shared<CompressingVideoPreparer>()));
            TriageOptions options;
            if (const int batch = qEnvironmentVariableIntValue("MT_LAMBDA_BATCH_ITEMS"); batch > 0)
                options.maxBatchItems = batch;
            TriageEngine engine(config, store->get(), preparer);
            TriageRun run = engine.run(items, options, work);
            results = std::move(run.items);
            usage = run.usage;
            if (run.stopped && !work.isCancelled())
                m_log.warn("judge", tr("the run stopped early: %1").arg(run.stopped->message));
        } else {
            const auto analyses = quality::QualityAnalyzer::analyze(items, {}, work);
            for (size_t i = 0; i < analyses.size(); ++i) {
                auto hash = items[i].ok() ? contentHash(items[i].path) : Result<QString>(QString());
                results[i] = quality::toTriageResult(analyses[i], hash ? *hash : QString());
            }
        }
    }
    const bool deadlineHit = work.isCancelled();
    const QString cancelled = QCoreApplication::translate("TriageEngine", "cancelled");
    for (Entry &e : entries) {
        if (e.item < 0)
            continue;
        const TriageItemResult &r = results[size_t(e.item)];
        const bool missing = r.path.isEmpty(); // never reached: the engine did not run
        if (missing || (deadlineHit && r.verdict == VerdictKind::Error
                        && (!gemini || r.source == VerdictSource::Gemini || r.error == cancelled))) {
            e.unfinished = true;
            e.error = notJudgedMessage();
            continue;
        }
        e.verdict = verdictName(r.verdict);
        e.reason = r.reason;
        e.source = sourceName(r.source);
        e.error = r.error;
        e.judged = r.verdict != VerdictKind::Error;
    }
    const int unfinished = int(std::count_if(entries.begin(), entries.end(), [](const Entry &e) { return e.unfinished; }));
    m_log.info("judge", deadlineHit ? tr("stopped at the deadline's safety margin") : tr("judged"),
               {{"items", items.size()}, {"unfinished", unfinished}, {"requests", usage.requests},
                {"promptTokens", usage.promptTokens}, {"outputTokens", usage.outputTokens}, {"durationMs", stage.elapsed()}});

    // Thumbnails of what was judged now (reused items got theirs the first time). Inside the
    // margin only while at least half of it is left: results.json matters more.
    stage.restart();
    int thumbs = 0;
    // A thumbnail that is still decoding at that point is abandoned too (the loop's check only
    // keeps new ones from starting).
    CancellationToken thumbsToken;
    if (bounded)
        thumbsToken.setTimeout(std::chrono::milliseconds(
            std::max<qint64>(0, invocation.deadlineMs - margin / 2 - QDateTime::currentMSecsSinceEpoch())));
    for (Entry &e : entries) {
        if (e.item < 0 || !e.judged || e.reused)
            continue;
        if (bounded && QDateTime::currentMSecsSinceEpoch() >= invocation.deadlineMs - margin / 2) {
            m_log.warn("thumbs", tr("no time left for the remaining thumbnails"));
            break;
        }
        QString file = preparedThumbs.value(e.key);
        if (file.isEmpty()) {
            auto image = LambdaThumbnail::render(items[size_t(e.item)], thumbsToken);
            if (!image) {
                m_log.warn("thumbs", tr("%1: %2").arg(e.key, image.error().message));
                e.thumbnailKey.clear();
                continue;
            }
            file = workDir.fileFor(QStringLiteral("thumbs/") + e.relative + QStringLiteral(".jpg"));
            if (!LambdaThumbnail::save(*image, file)) {
                e.thumbnailKey.clear();
                continue;
            }
        }
        if (auto put = s3.putObjectFromFile(bucket, e.thumbnailKey, file, "image/jpeg"); !put) {
            m_log.warn("thumbs", tr("cannot upload %1: %2").arg(e.thumbnailKey, put.error().message));
            e.thumbnailKey.clear();
            continue;
        }
        ++thumbs;
    }
    m_log.info("thumbs", tr("thumbnails uploaded"), {{"thumbnails", thumbs}, {"durationMs", stage.elapsed()}});

    // results.json, then the job's state.
    int keep = 0, discard = 0, errors = 0, reused = 0;
    json itemsJson = json::array();
    for (const Entry &e : entries) {
        keep += e.verdict == QLatin1String("keep");
        discard += e.verdict == QLatin1String("discard");
        errors += e.verdict == QLatin1String("error");
        reused += e.reused;
        itemsJson.push_back({{"key", utf8(e.key)},
                             {"verdict", utf8(e.verdict)},
                             {"reason", nullable(e.reason)},
                             {"source", nullable(e.source)},
                             {"error", nullable(e.error)},
                             {"size", e.size},
                             {"etag", e.etag.toStdString()},
                             {"thumbnail", e.judged ? nullable(e.thumbnailKey) : json()}});
    }
    const bool partial = unfinished > 0;
    const json counts = {{"items", entries.size()}, {"keep", keep}, {"discard", discard}, {"errors", errors},
                         {"reused", reused}, {"unfinished", unfinished}};
    const json usageJson = {{"requests", usage.requests}, {"prompt_tokens", usage.promptTokens},
                            {"output_tokens", usage.outputTokens}};
    json resultsDoc = {{"bucket", utf8(bucket)},
                     {"prefix", utf8(prefix)},
                     {"engine", utf8(engineName)},
                     {"model", nullable(model)},
                     {"partial", partial},
                     {"requestId", invocation.requestId.toStdString()},
                     {"generatedAt", utf8(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs))},
                     {"counts", counts},
                     {"usage", usageJson},
                     {"items", std::move(itemsJson)}};
    if (partial)
        resultsDoc["note"] = utf8(tr("%n item(s) were not judged before the deadline; invoke again to finish them.", nullptr, unfinished));
    if (auto put = s3.putObject(bucket, ObjectKeys::resultsKey(prefix), QByteArray::fromStdString(resultsDoc.dump(2)),
                                "application/json");
        !put) {
        writeJob(QStringLiteral("failed"), {{"error", utf8(put.error().message)}});
        return makeError(put.error().code, tr("cannot write %1: %2").arg(ObjectKeys::resultsKey(prefix), put.error().message));
    }
    writeJob(partial ? QStringLiteral("partial") : QStringLiteral("done"), {{"counts", counts}});

    json summary = {{"bucket", utf8(bucket)},
                    {"prefix", utf8(prefix)},
                    {"engine", utf8(engineName)},
                    {"model", nullable(model)},
                    {"partial", partial},
                    {"results", utf8(ObjectKeys::resultsKey(prefix))},
                    {"counts", counts},
                    {"usage", usageJson},
                    {"durationMs", total.elapsed()}};
    m_log.info("done", partial ? tr("partial result written") : tr("results written"),
               {{"counts", counts}, {"durationMs", total.elapsed()}});
    return summary;
}

} // namespace mt::lambda
