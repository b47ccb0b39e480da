#include "lambda/HttpRoutes.h"

#include "aws/LambdaInvoker.h"
#include "aws/S3Client.h"
#include "lambda/JsonFields.h"
#include "lambda/JsonLog.h"
#include "lambda/LambdaServices.h"
#include "lambda/ObjectKeys.h"
#include "lambda/JobDocument.h"
#include "media/MediaType.h"

#include <QDateTime>
#include <QSet>
#include <QUrl>

#include <optional>

namespace mt::lambda {

using nlohmann::json;
using aws::httpApiError;
using aws::httpApiResponse;

namespace {

constexpr int kMaxConfirmKeys = 1000;

std::optional<json> parseBody(const QByteArray &body)
{
    json doc = json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    return doc;
}

// Status for a failure talking to S3 or Lambda: the request was fine, a dependency was not.
int upstreamStatus(const Error &e)
{
    switch (e.code) {
    case Error::Code::NotFound: return 404;
    case Error::Code::PermissionDenied: return 403;
    case Error::Code::Timeout: return 504;
    default: return 502;
    }
}

} // namespace

QByteArray HttpRoutes::handle(const aws::HttpApiRequest &request, const aws::Invocation &invocation)
{
    struct Route {
        const char *path;
        const char *method;
    };
    static const Route routes[] = {{"/health", "GET"},          {"/triage", "POST"}, {"/triage/results", "GET"},
                                   {"/triage/confirm", "POST"}, {"/upload-url", "GET"}};
    QString path = request.path;
    while (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    bool known = false;
    for (const Route &r : routes) {
        if (path != QLatin1String(r.path))
            continue;
        known = true;
        if (request.method != QLatin1String(r.method))
            continue;
        m_log.info("http", QStringLiteral("%1 %2").arg(request.method, path));
        if (path == QLatin1String("/health"))
            return health();
        if (m_services.mediaBucket().isEmpty())
            return httpApiError(503, tr("the function has no MEDIA_BUCKET configured"));
        if (path == QLatin1String("/triage"))
            return startTriage(request, invocation);
        if (path == QLatin1String("/triage/results"))
            return results(request);
        if (path == QLatin1String("/triage/confirm"))
            return confirm(request);
        return uploadUrl(request);
    }
    if (known)
        return httpApiError(405, tr("%1 is not allowed on %2").arg(request.method, path));
    return httpApiError(404, tr("no route %1 %2").arg(request.method, path));
}

namespace {

// A prefix a client may use: below the bucket root, not inside our own output, and mappable to
// local names (the same rules as keys).
std::optional<QString> prefixProblem(const QString &prefix)
{
    if (prefix.isEmpty())
        return std::nullopt;
    if (auto rel = ObjectKeys::localRelativePath(prefix + u'x'); !rel)
        return rel.error().message;
    if (ObjectKeys::isTriageArtifact(prefix + u'x'))
        return HttpRoutes::tr("the prefix points into triage output");
    return std::nullopt;
}

} // namespace

QByteArray HttpRoutes::health()
{
    return httpApiResponse(200, {{"status", "ok"},
                                 {"engine", m_services.useGemini() ? "gemini" : "local"},
                                 {"version", MT_VERSION}});
}

QByteArray HttpRoutes::startTriage(const aws::HttpApiRequest &request, const aws::Invocation &invocation)
{
    const auto body = parseBody(request.body);
    if (!body)
        return httpApiError(400, tr("the body must be a JSON object like {\"prefix\": \"trip/\"}"));
    auto parsed = aws::parseTriageRequest(*body, false);
    if (!parsed)
        return httpApiError(400, parsed.error().message);
    aws::TriageRequest triage = *parsed;
    if (!triage.bucket.isEmpty() && triage.bucket != m_services.mediaBucket())
        return httpApiError(403, tr("this API only triages its own bucket"));
    triage.bucket = m_services.mediaBucket();
    if (auto problem = prefixProblem(triage.prefix))
        return httpApiError(400, tr("bad prefix: %1").arg(*problem));
    if (m_services.functionName().isEmpty())
        return httpApiError(503, tr("AWS_LAMBDA_FUNCTION_NAME is not set, so the work cannot be started"));

    aws::S3Client &s3 = m_services.s3();
    const QString jobKey = ObjectKeys::jobKey(triage.prefix);
    // One job per prefix at a time: two would judge (and pay for) the same items twice and race
    // on results.json.
    json previous;
    if (auto existing = s3.getObject(triage.bucket, jobKey, 1 << 20); existing) {
        const json doc = json::parse(existing->constBegin(), existing->constEnd(), nullptr, false);
        previous = doc;
        const QString state = stringField(doc, "state");
        const QDateTime updated = QDateTime::fromString(stringField(doc, "updatedAt"), Qt::ISODateWithMs);
        // A partial or stuck fanned-out job keeps its record: the coordinator resumes its missing shards.
        if (JobActivity::isLive(s3, triage.bucket, triage.prefix, doc))
            return httpApiError(409, tr("a triage of '%1' is already %2 (since %3); poll /triage/results")
                                         .arg(triage.prefix, state, updated.toString(Qt::ISODate)));
    } else if (existing.error().code != Error::Code::NotFound) {
        return httpApiError(upstreamStatus(existing.error()), tr("cannot read the job record: %1").arg(existing.error().message));
    }
    json queued = jobDocument(QStringLiteral("queued"), triage, invocation.requestId);
    // A fanned-out job that ended partial or got stuck keeps its plan: only its missing shards run again.
    if (integerField(previous, "shards_total", 0) > 0 && stringField(previous, "state") != QLatin1String("done")
        && stringField(previous, "model") == triage.model) {
        for (const char *kept : {"job", "shards_total", "shard_items", "engine", "concurrency"})
            if (previous.contains(kept))
                queued[kept] = previous[kept];
        queued["resume"] = true;
    }
    if (auto put = s3.putObject(triage.bucket, jobKey, QByteArray::fromStdString(queued.dump()), "application/json"); !put)
        return httpApiError(upstreamStatus(put.error()), tr("cannot record the job: %1").arg(put.error().message));
    const QByteArray payload = QByteArray::fromStdString(aws::toJson(triage).dump());
    if (auto started = m_services.invoker().invokeAsync(m_services.functionName(), payload); !started) {
        const json failed = jobDocument(QStringLiteral("failed"), triage, invocation.requestId,
                                                   {{"error", started.error().message.toStdString()}});
        // The start failure is what the caller must hear; a record left "queued" expires on its own.
        if (auto recorded = s3.putObject(triage.bucket, jobKey, QByteArray::fromStdString(failed.dump()), "application/json"); !recorded)
            m_log.warn("http", tr("cannot record the failed job: %1").arg(recorded.error().message));
        return httpApiError(upstreamStatus(started.error()), tr("cannot start the triage: %1").arg(started.error().message));
    }
    m_log.info("http", tr("triage queued"), {{"prefix", triage.prefix.toStdString()}});
    const QString poll = QStringLiteral("/triage/results?prefix=") + QString::fromLatin1(QUrl::toPercentEncoding(triage.prefix));
    return httpApiResponse(202, {{"state", "queued"}, {"prefix", triage.prefix.toStdString()}, {"poll", poll.toStdString()}});
}

QByteArray HttpRoutes::results(const aws::HttpApiRequest &request)
{
    if (!request.query.contains(QStringLiteral("prefix")))
        return httpApiError(400, tr("the prefix query parameter is missing"));
    const QString prefix = request.query.value(QStringLiteral("prefix"));
    if (auto problem = prefixProblem(prefix))
        return httpApiError(400, tr("bad prefix: %1").arg(*problem));
    aws::S3Client &s3 = m_services.s3();
    const QString bucket = m_services.mediaBucket();
    auto job = s3.getObject(bucket, ObjectKeys::jobKey(prefix), 1 << 20);
    if (!job && job.error().code == Error::Code::NotFound)
        return httpApiError(404, tr("no triage job for prefix '%1'").arg(prefix));
    if (!job)
        return httpApiError(upstreamStatus(job.error()), job.error().message);
    json doc = json::parse(job->constBegin(), job->constEnd(), nullptr, false);
    if (!doc.is_object())
        return httpApiError(502, tr("the stored job record is unreadable"));
    const QString state = stringField(doc, "state");
    if (const qint64 total = integerField(doc, "shards_total", 0); total > 0)
        addProgress(prefix, doc);
    if (state == QLatin1String("done") || state == QLatin1String("partial")) {
        auto stored = s3.getObject(bucket, ObjectKeys::resultsKey(prefix), 5 << 20);
        if (!stored)
            return httpApiError(upstreamStatus(stored.error()), tr("cannot read the results: %1").arg(stored.error().message));
        json results = json::parse(stored->constBegin(), stored->constEnd(), nullptr, false);
        if (results.is_discarded())
            return httpApiError(502, tr("the stored results are unreadable"));
        doc["results"] = std::move(results);
    }
    return httpApiResponse(200, doc);
}

// A fanned-out job's progress: the final shard files listed so far and the items they hold
// (from the plan's per-shard counts in job.json).
void HttpRoutes::addProgress(const QString &prefix, json &job)
{
    const QString folder = ObjectKeys::triageFolder(prefix) + QStringLiteral("shards/");
    auto listing = m_services.s3().listObjects(m_services.mediaBucket(), folder);
    if (!listing)
        return;
    const json counts = job.value("shard_items", json::array());
    int done = 0;
    qint64 judged = 0;
    for (const aws::S3ObjectInfo &o : *listing) {
        bool ok = false;
        const int shard = o.key.mid(folder.size()).chopped(5).toInt(&ok);
        if (!ok || !o.key.endsWith(QLatin1String(".json")) || shard < 0)
            continue;
        ++done;
        if (counts.is_array() && size_t(shard) < counts.size() && counts[size_t(shard)].is_number_integer())
            judged += counts[size_t(shard)].get<qint64>();
    }
    job["shards_done"] = done;
    job["items_judged"] = judged;
}

namespace {

// A confirm request: the prefix and its keys, each once.
struct ConfirmRequest {
    QString prefix;
    QStringList keys;
};

Result<ConfirmRequest> parseConfirm(const QByteArray &bytes)
{
    auto bad = [](const QString &why) { return makeError(Error::Code::InvalidArgument, why); };
    const auto body = parseBody(bytes);
    if (!body)
        return bad(HttpRoutes::tr("the body must be a JSON object like {\"prefix\": \"trip/\", \"keys\": [...]}"));
    if (!body->contains("prefix") || !(*body)["prefix"].is_string())
        return bad(HttpRoutes::tr("\"prefix\" is missing"));
    if (!body->contains("keys") || !(*body)["keys"].is_array())
        return bad(HttpRoutes::tr("\"keys\" must be an array of object keys"));
    ConfirmRequest request{QString::fromStdString((*body)["prefix"].get<std::string>()), {}};
    if (auto problem = prefixProblem(request.prefix))
        return bad(HttpRoutes::tr("bad prefix: %1").arg(*problem));
    const json &keys = (*body)["keys"];
    if (keys.size() > size_t(kMaxConfirmKeys))
        return bad(HttpRoutes::tr("at most %1 keys per request").arg(kMaxConfirmKeys));
    for (const json &k : keys) {
        if (!k.is_string())
            return bad(HttpRoutes::tr("\"keys\" must contain strings only"));
        const QString key = QString::fromStdString(k.get<std::string>());
        if (!request.keys.contains(key))
            request.keys << key;
    }
    return request;
}

} // namespace

// The verdicts results.json stores (schema 2: items[].key, .verdict, .etag), by key.
struct HttpRoutes::StoredVerdict {
    QString verdict;
    QByteArray etag;
};

HttpRoutes::StoredVerdicts HttpRoutes::storedVerdicts(const json &results)
{
    StoredVerdicts verdicts;
    for (const json &item : results["items"])
        if (const QString key = stringField(item, "key"); !key.isEmpty())
            verdicts.insert(key, StoredVerdict{stringField(item, "verdict"), stringField(item, "etag").toLatin1()});
    return verdicts;
}

// Why `key` may not be deleted, or nothing when it may.
std::optional<QString> HttpRoutes::confirmProblem(const QString &key, const QString &prefix, const StoredVerdicts &verdicts)
{
    const auto it = verdicts.constFind(key);
    if (!key.startsWith(prefix) || ObjectKeys::isTriageArtifact(key, prefix))
        return tr("not a triaged item of this prefix");
    if (it == verdicts.constEnd())
        return tr("no stored verdict");
    if (it->verdict != QLatin1String("discard"))
        return tr("the stored verdict is %1, not discard").arg(it->verdict);
    auto head = m_services.s3().headObject(m_services.mediaBucket(), key);
    if (!head)
        return head.error().code == Error::Code::NotFound ? tr("already gone") : head.error().message;
    if (!it->etag.isEmpty() && aws::unquotedEtag(head->etag) != aws::unquotedEtag(it->etag))
        return tr("the object changed since it was triaged");
    return std::nullopt;
}

// The results say what is gone, so a client polling them does not offer it again.
bool HttpRoutes::markDeleted(const QString &prefix, json &results, const json &deleted)
{
    if (deleted.empty())
        return true;
    QSet<QString> gone;
    for (const json &key : deleted)
        gone.insert(QString::fromStdString(key.get<std::string>()));
    for (json &item : results["items"])
        if (gone.contains(stringField(item, "key")))
            item["deleted"] = true;
    const QString key = ObjectKeys::resultsKey(prefix);
    auto put = m_services.s3().putObject(m_services.mediaBucket(), key, QByteArray::fromStdString(results.dump(2)),
                                         "application/json");
    if (!put)
        m_log.warn("http", tr("deleted, but cannot update %1: %2").arg(key, put.error().message));
    return put.ok();
}

QByteArray HttpRoutes::confirm(const aws::HttpApiRequest &request)
{
    const auto parsed = parseConfirm(request.body);
    if (!parsed)
        return httpApiError(400, parsed.error().message);
    const QString &prefix = parsed->prefix;
    aws::S3Client &s3 = m_services.s3();
    const QString bucket = m_services.mediaBucket();
    auto stored = s3.getObject(bucket, ObjectKeys::resultsKey(prefix), 5 << 20);
    if (!stored && stored.error().code == Error::Code::NotFound)
        return httpApiError(404, tr("no triage results for prefix '%1'").arg(prefix));
    if (!stored)
        return httpApiError(upstreamStatus(stored.error()), stored.error().message);
    json results = json::parse(stored->constBegin(), stored->constEnd(), nullptr, false);
    if (!results.is_object() || !results.contains("items") || !results["items"].is_array())
        return httpApiError(502, tr("the stored results are unreadable"));
    const StoredVerdicts verdicts = storedVerdicts(results);

    json refused = json::array();
    auto refuse = [&](const QString &key, const QString &why) {
        refused.push_back({{"key", key.toStdString()}, {"reason", why.toStdString()}});
    };
    QStringList toDelete;
    for (const QString &key : parsed->keys) {
        if (auto problem = confirmProblem(key, prefix, verdicts))
            refuse(key, *problem);
        else
            toDelete << key;
    }
    json deleted = json::array();
    if (!toDelete.isEmpty()) {
        auto outcome = s3.deleteObjects(bucket, toDelete);
        if (!outcome)
            return httpApiError(upstreamStatus(outcome.error()), tr("cannot delete: %1").arg(outcome.error().message));
        for (const QString &key : outcome->deleted)
            deleted.push_back(key.toStdString());
        for (const auto &[key, message] : outcome->failed)
            refuse(key, message);
    }
    const bool resultsUpdated = markDeleted(prefix, results, deleted);
    m_log.info("http", tr("confirm"), {{"deleted", deleted.size()}, {"refused", refused.size()}});
    return httpApiResponse(200, {{"deleted", deleted}, {"refused", refused}, {"resultsUpdated", resultsUpdated}});
}

QByteArray HttpRoutes::uploadUrl(const aws::HttpApiRequest &request)
{
    const QString prefix = request.query.value(QStringLiteral("prefix"));
    const QString filename = request.query.value(QStringLiteral("filename"));
    if (auto problem = prefixProblem(prefix))
        return httpApiError(400, tr("bad prefix: %1").arg(*problem));
    if (filename.isEmpty())
        return httpApiError(400, tr("the filename query parameter is missing"));
    if (filename.contains(u'/') || filename.contains(u'\\'))
        return httpApiError(400, tr("the filename must not contain a path"));
    const QString key = prefix + filename;
    if (auto rel = ObjectKeys::localRelativePath(key); !rel)
        return httpApiError(400, tr("bad filename: %1").arg(rel.error().message));
    const auto type = mediaTypeForExtension(filename);
    if (!type)
        return httpApiError(400, tr("%1 is not a photo or video we triage").arg(filename));
    QString contentType = request.query.value(QStringLiteral("contentType"));
    if (contentType.isEmpty())
        contentType = type->mime;
    if (!contentType.contains(u'/') || contentType.size() > 100
        || std::any_of(contentType.begin(), contentType.end(), [](QChar c) { return c.unicode() < 0x21 || c.unicode() > 0x7e; }))
        return httpApiError(400, tr("bad contentType"));
    auto url = m_services.s3().presignPut(m_services.mediaBucket(), key, contentType.toLatin1(), kUploadUrlSeconds);
    if (!url)
        return httpApiError(upstreamStatus(url.error()), url.error().message);
    return httpApiResponse(200, {{"url", url->toString(QUrl::FullyEncoded).toStdString()},
                                 {"method", "PUT"},
                                 {"key", key.toStdString()},
                                 {"expiresIn", kUploadUrlSeconds},
                                 {"headers", {{"content-type", contentType.toStdString()}}}});
}

} // namespace mt::lambda
