#include "lambda/FanoutJob.h"

#include "aws/LambdaInvoker.h"
#include "aws/S3Client.h"
#include "lambda/JobDocument.h"
#include "lambda/JsonFields.h"
#include "lambda/JsonLog.h"
#include "lambda/LambdaServices.h"
#include "lambda/ObjectKeys.h"
#include "lambda/TransferStreams.h"
#include "lambda/TriageJob.h"
#include "triage/TriageRun.h"

#include <QDateTime>
#include <QSet>
#include <QThread>

namespace mt::lambda {

using nlohmann::json;

namespace {

std::string utf8(const QString &s) { return s.toStdString(); }
QString nowIso() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

json usageJson(const gemini::UsageTotals &u)
{
    return {{"requests", u.requests}, {"prompt_tokens", u.promptTokens}, {"output_tokens", u.outputTokens}};
}

void addUsage(gemini::UsageTotals &into, const json &doc)
{
    const json u = doc.is_object() ? doc.value("usage", json::object()) : json::object();
    into.requests += int(integerField(u, "requests", 0));
    into.promptTokens += integerField(u, "prompt_tokens", 0);
    into.outputTokens += integerField(u, "output_tokens", 0);
    into.totalTokens = into.promptTokens + into.outputTokens;
}

void addUsage(gemini::UsageTotals &into, const gemini::UsageTotals &more)
{
    into.requests += more.requests;
    into.promptTokens += more.promptTokens;
    into.outputTokens += more.outputTokens;
    into.totalTokens = into.promptTokens + into.outputTokens;
}

json itemsJson(const std::vector<JobEntry> &a, const std::vector<JobEntry> &b = {})
{
    json items = json::array();
    for (const auto *list : {&a, &b})
        for (const JobEntry &e : *list)
            items.push_back(FanoutPlan::entryJson(e));
    return items;
}

} // namespace

// One shard as its invocation finds it.
struct FanoutJob::Shard {
    json job;                   // job.json
    std::vector<JobEntry> done; // judged by an earlier invocation of this shard
    std::vector<JobEntry> todo; // planned and not judged yet
    gemini::UsageTotals usage;  // what the done part cost
    qint64 unsaved = 0;
    bool complete = false;      // its final shard file is there: a redelivery
    bool superseded = false;    // the event belongs to a job that was replaced
};

namespace {

// A JSON document of the job; nothing when the key does not exist.
Result<std::optional<json>> readJsonWith(aws::S3Client &s3, const QString &bucket, const QString &key)
{
    auto got = s3.getObject(bucket, key, 256 << 20);
    if (!got && got.error().code == Error::Code::NotFound)
        return std::optional<json>();
    if (!got)
        return got.error();
    json doc = json::parse(got->constBegin(), got->constEnd(), nullptr, false);
    if (!doc.is_object())
        return makeError(Error::Code::Corrupt, FanoutJob::tr("%1 is not a JSON object").arg(key));
    return std::optional<json>(std::move(doc));
}

} // namespace

Result<std::optional<json>> FanoutJob::readJson(const QString &bucket, const QString &key)
{
    return readJsonWith(m_services.s3(), bucket, key);
}

Status FanoutJob::putJson(const QString &bucket, const QString &key, const json &doc)
{
    auto put = m_services.s3().putObject(bucket, key, QByteArray::fromStdString(doc.dump()), "application/json");
    if (!put)
        return makeError(put.error().code, tr("cannot write %1: %2").arg(key, put.error().message));
    return Done{};
}

Status FanoutJob::invoke(const ShardEvent &event)
{
    const QByteArray payload = QByteArray::fromStdString(FanoutPlan::toJson(event).dump());
    auto started = m_services.invoker().invokeAsync(m_services.functionName(), payload);
    if (!started)
        return makeError(started.error().code, tr("cannot start shard %1: %2").arg(event.shard).arg(started.error().message));
    return Done{};
}

Status FanoutJob::continueChain(const ShardEvent &event)
{
    if (event.then.empty())
        return Done{};
    const ShardEvent next{event.bucket, event.prefix, event.model, event.job, event.then.front(),
                          std::vector<int>(event.then.begin() + 1, event.then.end()), 0};
    if (auto started = invoke(next); !started)
        return started;
    return putJson(event.bucket, FanoutPlan::chainedKey(event.prefix, event.shard), {{"job", utf8(event.job)}, {"next", next.shard}});
}

void FanoutJob::startChains(const aws::TriageRequest &request, const QString &job, const std::vector<int> &shards)
{
    const FanoutLimits limits = FanoutLimits::fromEnvironment();
    for (const std::vector<int> &chain : FanoutPlan::chains(shards, limits.concurrency)) {
        ShardEvent event{request.bucket, request.prefix, request.model, job, chain.front(),
                         std::vector<int>(chain.begin() + 1, chain.end()), 0};
        // A chain that cannot start leaves the job stuck, never wrong: the next POST resumes it.
        if (auto started = invoke(event); !started)
            m_log.error("fanout", started.error().message);
    }
    m_log.info("fanout", tr("shards started"), {{"shards", shards.size()}, {"concurrency", limits.concurrency}});
}

void FanoutJob::clearArtifacts(const QString &bucket, const QString &prefix)
{
    // Files of an earlier job under the same indices would count as this job's.
    QStringList keys;
    for (const QString &folder : {ObjectKeys::triageFolder(prefix) + QStringLiteral("plan/"),
                                  ObjectKeys::triageFolder(prefix) + QStringLiteral("progress/"), FanoutPlan::shardsFolder(prefix),
                                  FanoutPlan::mergeFolder(prefix), ObjectKeys::triageFolder(prefix) + QStringLiteral("failed/"),
                                  ObjectKeys::triageFolder(prefix) + QStringLiteral("chained/")}) {
        auto listing = m_services.s3().listObjects(bucket, folder);
        if (listing)
            for (const aws::S3ObjectInfo &o : *listing)
                keys << o.key;
    }
    if (!keys.isEmpty())
        if (auto deleted = m_services.s3().deleteObjects(bucket, keys); !deleted)
            m_log.warn("fanout", tr("cannot remove the files of the previous job: %1").arg(deleted.error().message));
}

std::optional<Result<json>> FanoutJob::startIfLarge(const aws::TriageRequest &request, const aws::Invocation &invocation,
                                                    const std::vector<JobEntry> &entries, const QSet<QString> &listed)
{
    const FanoutLimits limits = FanoutLimits::fromEnvironment();
    const auto shards = FanoutPlan::shards(entries, limits);
    if (m_services.functionName().isEmpty() || shards.size() <= 1)
        return std::nullopt;
    const QString bucket = request.bucket, prefix = request.prefix;
    const QString job = QString::fromLatin1(invocation.requestId);
    clearArtifacts(bucket, prefix);
    std::vector<JobEntry> settled; // reused verdicts and refused keys: no shard needs them
    for (const JobEntry &e : entries)
        if (!e.toJudge)
            settled.push_back(e);
    if (auto put = putJson(bucket, FanoutPlan::reusedKey(prefix), {{"job", utf8(job)}, {"items", itemsJson(settled)}}); !put)
        return Result<json>(put.error());
    json counts = json::array();
    std::vector<int> indices;
    for (size_t k = 0; k < shards.size(); ++k) {
        std::vector<JobEntry> planned;
        for (size_t i : shards[k]) {
            planned.push_back(entries[i]);
            // The prepared artifacts the listing showed for it (a shard never lists the prefix).
            const QString folder = ObjectKeys::preparedFolder(entries[i].key);
            for (const QString &name : {QStringLiteral("prepared.json"), QStringLiteral("video.webm"), QStringLiteral("thumb.jpg")})
                if (listed.contains(folder + name))
                    planned.back().preparedKeys << folder + name;
        }
        if (auto put = putJson(bucket, FanoutPlan::planKey(prefix, int(k)), {{"job", utf8(job)}, {"items", itemsJson(planned)}}); !put)
            return Result<json>(put.error());
        counts.push_back(planned.size());
        indices.push_back(int(k));
    }
    const bool gemini = m_services.useGemini();
    const QString model = gemini ? (request.model.isEmpty() ? m_services.gemini().model : request.model) : QString();
    const json doc = jobDocument(QStringLiteral("running"), request, invocation.requestId,
                                 {{"job", utf8(job)}, {"shards_total", shards.size()}, {"shard_items", counts},
                                  {"engine", gemini ? "gemini" : "local"}, {"engine_model", utf8(model)},
                                  {"concurrency", limits.concurrency}, {"startedAt", utf8(nowIso())}});
    if (auto put = putJson(bucket, ObjectKeys::jobKey(prefix), doc); !put)
        return Result<json>(put.error());
    startChains(request, job, indices);
    return Result<json>(json{{"state", "running"}, {"job", utf8(job)}, {"bucket", utf8(bucket)}, {"prefix", utf8(prefix)},
                             {"shards_total", shards.size()}, {"reused", settled.size()},
                             {"results", utf8(ObjectKeys::resultsKey(prefix))}});
}

Result<json> FanoutJob::coordinate(const aws::TriageRequest &request, const aws::Invocation &invocation)
{
    auto existing = readJson(request.bucket, ObjectKeys::jobKey(request.prefix));
    if (!existing)
        return existing.error();
    if (*existing) {
        const json &job = **existing;
        const QString state = stringField(job, "state");
        // POST /triage queues a new job, or the rest of a partial or stuck one ("resume").
        const bool queuedByRoute = state == QLatin1String("queued");
        // Never two jobs of one prefix: a live one (not the one POST /triage just queued) makes this a no-op.
        if (!queuedByRoute && JobActivity::isLive(m_services.s3(), request.bucket, request.prefix, job)) {
            m_log.info("fanout", tr("a job of this prefix is live: nothing to do"), {{"job", job.value("job", json())}});
            return json{{"state", utf8(state)}, {"job", job.value("job", json())}, {"noop", true}};
        }
    }
    // Two coordinators may have got this far at once (a retry, a second client): one starts.
    const auto won = claim(request.bucket, request.prefix, invocation);
    if (!won)
        return won.error(); // the bucket cannot be written: nothing can be done
    Result<json> outcome = *won ? startClaimed(request, invocation) : Result<json>(json{{"state", "running"}, {"noop", true}});
    releaseClaim(request.bucket, request.prefix, invocation);
    return outcome;
}

Result<json> FanoutJob::startClaimed(const aws::TriageRequest &request, const aws::Invocation &invocation)
{
    // Read again: a coordinator that won just before our claim has started its job by now.
    auto current = readJson(request.bucket, ObjectKeys::jobKey(request.prefix));
    if (!current)
        return current.error();
    const json job = *current ? **current : json::object();
    const QString state = stringField(job, "state");
    if (state == QLatin1String("running") && JobActivity::isLive(m_services.s3(), request.bucket, request.prefix, job))
        return json{{"state", "running"}, {"job", job.value("job", json())}, {"noop", true}};
    const bool fannedOut = integerField(job, "shards_total", 0) > 0 && !stringField(job, "job").isEmpty();
    if (fannedOut && state != QLatin1String("done") && stringField(job, "model") == request.model
        && (state == QLatin1String("partial") || state == QLatin1String("running") || job.value("resume", false)))
        return resume(request, invocation, job);
    return TriageJob(m_services, m_log).run(request, invocation);
}

Result<bool> FanoutJob::claim(const QString &bucket, const QString &prefix, const aws::Invocation &invocation)
{
    auto locked = takeLock(bucket, prefix, invocation);
    if (!locked)
        return locked.error();
    if (*locked == Lock::Unsupported)
        return claimBySettling(bucket, prefix, invocation);
    m_holdsLock = *locked == Lock::Won;
    if (!m_holdsLock)
        m_log.info("fanout", tr("another coordinator is starting a job of this prefix: nothing to do"));
    return m_holdsLock;
}

Result<FanoutJob::Lock> FanoutJob::writeFirst(const QString &bucket, const QString &key, const aws::Invocation &invocation)
{
    // A compare-and-swap: the one put that finds no object wins, at once.
    const std::string mine = invocation.requestId.toStdString();
    const QByteArray body = QByteArray::fromStdString(json{{"requestId", mine}, {"at", utf8(nowIso())}}.dump());
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto put = m_services.s3().putObjectIfAbsent(bucket, key, body, "application/json");
        if (!put)
            return put.error();
        if (*put) {
            // A store without conditional writes overwrote whatever was there: a second put tells.
            auto again = m_services.s3().putObjectIfAbsent(bucket, key, body, "application/json");
            if (!again)
                return again.error();
            if (!*again)
                return Lock::Won;
            m_log.info("fanout", tr("the store ignores If-None-Match: claims are decided by listing instead"));
            (void)m_services.s3().deleteObject(bucket, key);
            return Lock::Unsupported;
        }
        auto holder = readJson(bucket, key);
        if (holder && !*holder)
            continue; // removed in between, or still being written (409): ask again
        if (holder && (*holder)->value("requestId", std::string()) == mine)
            return Lock::Won; // our own put (a retried request, or a retried invocation)
        if (!holder && holder.error().code != Error::Code::Corrupt)
            return holder.error();
        return Lock::Lost;
    }
    return Lock::Lost;
}

Result<FanoutJob::Lock> FanoutJob::takeLock(const QString &bucket, const QString &prefix, const aws::Invocation &invocation)
{
    const QString lock = FanoutPlan::claimLockKey(prefix);
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto first = writeFirst(bucket, lock, invocation);
        if (!first || *first != Lock::Lost)
            return first;
        // Another coordinator's (or unreadable): it stands while it is younger than a claim lasts.
        auto head = m_services.s3().headObject(bucket, lock);
        if (!head && head.error().code == Error::Code::NotFound)
            continue;
        if (!head)
            return head.error();
        if (head->lastModified.secsTo(QDateTime::currentDateTimeUtc()) < kClaimLifetimeS)
            return Lock::Lost;
        // Left by a coordinator that died while starting a job. Two coordinators that both find it
        // stale may both win; startClaimed's second look at job.json then stops the later one.
        m_log.warn("fanout", tr("removing a stale claim of %1 from %2").arg(prefix, head->lastModified.toString(Qt::ISODate)));
        if (auto removed = m_services.s3().deleteObject(bucket, lock); !removed)
            return removed.error();
    }
    return Lock::Lost;
}

Result<bool> FanoutJob::claimBySettling(const QString &bucket, const QString &prefix, const aws::Invocation &invocation)
{
    // Without a compare-and-swap write: leave a claim, wait longer than S3's one-second timestamp
    // tick, then list. Any claim written before ours was listed is then seen by both sides, and
    // both pick the same winner: the oldest, ties broken by key. A claim written after our listing
    // carries a later second and stands back. (Without the wait, two claims of one second both
    // stood back and no job started.)
    const QString folder = FanoutPlan::claimsFolder(prefix);
    const QString mine = folder + QString::fromLatin1(invocation.requestId);
    if (auto put = putJson(bucket, mine, {{"at", utf8(nowIso())}}); !put)
        return put.error();
    m_holdsSettledClaim = true;
    QThread::msleep(kClaimSettleMs);
    auto claims = m_services.s3().listObjects(bucket, folder);
    bool won = claims.ok();
    QDateTime myTime;
    if (claims)
        for (const aws::S3ObjectInfo &o : *claims)
            if (o.key == mine)
                myTime = o.lastModified;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (claims)
        for (const aws::S3ObjectInfo &o : *claims) {
            const bool older = o.lastModified < myTime || (o.lastModified == myTime && o.key < mine);
            const bool lock = o.key == FanoutPlan::claimLockKey(prefix); // takeLock's probe, not a claim
            if (o.key != mine && !lock && o.lastModified.secsTo(now) < kClaimLifetimeS && older)
                won = false;
        }
    if (!won)
        m_log.info("fanout", tr("another coordinator is starting a job of this prefix: nothing to do"));
    return won;
}

void FanoutJob::releaseClaim(const QString &bucket, const QString &prefix, const aws::Invocation &invocation)
{
    QString key;
    if (m_holdsLock)
        key = FanoutPlan::claimLockKey(prefix);
    else if (m_holdsSettledClaim)
        key = FanoutPlan::claimsFolder(prefix) + QString::fromLatin1(invocation.requestId);
    m_holdsLock = m_holdsSettledClaim = false;
    if (key.isEmpty())
        return;
    if (auto removed = m_services.s3().deleteObject(bucket, key); !removed)
        m_log.warn("fanout", removed.error().message);
}

Result<json> FanoutJob::resume(const aws::TriageRequest &request, const aws::Invocation &invocation, const json &job)
{
    const QString bucket = request.bucket, prefix = request.prefix;
    const int total = int(integerField(job, "shards_total", 0));
    const QString jobId = stringField(job, "job");
    QSet<int> finals, failed;
    auto shardFiles = m_services.s3().listObjects(bucket, FanoutPlan::shardsFolder(prefix));
    auto failedFiles = m_services.s3().listObjects(bucket, ObjectKeys::triageFolder(prefix) + QStringLiteral("failed/"));
    if (!shardFiles || !failedFiles)
        return makeError(Error::Code::Network, tr("cannot list the shard files of %1").arg(prefix));
    for (const aws::S3ObjectInfo &o : *shardFiles)
        finals.insert(FanoutPlan::shardOfKey(prefix, o.key));
    for (const aws::S3ObjectInfo &o : *failedFiles)
        failed.insert(o.key.section(u'/', -1).toInt());
    std::vector<int> missing;
    for (int k = 0; k < total; ++k) {
        if (finals.contains(k) && !failed.contains(k))
            continue;
        missing.push_back(k);
        if (!failed.contains(k))
            continue;
        // What the failed shard judged stays paid for: it becomes the progress of its re-run.
        auto doc = readJson(bucket, FanoutPlan::shardKey(prefix, k));
        if (doc && *doc) {
            json progress = **doc;
            json judged = json::array();
            for (const json &item : progress.value("items", json::array()))
                if (!item.value("unfinished", false))
                    judged.push_back(item);
            progress["items"] = judged;
            if (auto put = putJson(bucket, FanoutPlan::progressKey(prefix, k), progress); !put)
                return put.error();
        }
        auto removed = m_services.s3().deleteObjects(bucket, {FanoutPlan::shardKey(prefix, k),
                                                              ObjectKeys::triageFolder(prefix) + QStringLiteral("failed/%1").arg(k)});
        if (!removed || !removed->failed.isEmpty())
            return makeError(Error::Code::Network, tr("cannot reopen failed shard %1").arg(k));
    }
    // The earlier merge of this job is over (partial), or its merger died (stuck): the next
    // merge must not find its lock.
    QStringList mergeFiles{FanoutPlan::mergeLockKey(prefix, jobId)};
    if (auto markers = m_services.s3().listObjects(bucket, FanoutPlan::mergeMarkersFolder(prefix, jobId)))
        for (const aws::S3ObjectInfo &o : *markers)
            mergeFiles << o.key;
    if (auto removed = m_services.s3().deleteObjects(bucket, mergeFiles); !removed || !removed->failed.isEmpty())
        return makeError(Error::Code::Network, tr("cannot clear the earlier merge of %1").arg(prefix));
    json doc = job;
    doc["state"] = "running";
    doc["updatedAt"] = utf8(nowIso());
    doc.erase("resume");
    if (auto put = putJson(bucket, ObjectKeys::jobKey(prefix), doc); !put)
        return put.error();
    m_log.info("fanout", tr("resuming the job's missing shards"), {{"job", utf8(jobId)}, {"missing", missing.size()}});
    if (missing.empty()) {
        // Every shard is in and nothing merged them for 16 minutes: whoever held the merge died.
        if (auto merged = tryMerge(bucket, prefix, invocation, true); !merged)
            return merged.error();
    } else
        startChains(request, jobId, missing);
    return json{{"state", "running"}, {"job", utf8(jobId)}, {"resumed", missing.size()}, {"shards_total", total}};
}

Result<FanoutJob::Shard> FanoutJob::loadShard(const ShardEvent &event)
{
    Shard shard;
    auto job = readJson(event.bucket, ObjectKeys::jobKey(event.prefix));
    if (!job)
        return job.error();
    auto plan = readJson(event.bucket, FanoutPlan::planKey(event.prefix, event.shard));
    if (!plan)
        return plan.error();
    shard.superseded = !*job || stringField(**job, "job") != event.job || !*plan || stringField(**plan, "job") != event.job;
    if (shard.superseded)
        return shard;
    shard.job = **job;
    auto final = readJson(event.bucket, FanoutPlan::shardKey(event.prefix, event.shard));
    if (!final)
        return final.error();
    shard.complete = *final && stringField(**final, "job") == event.job && !(*final)->value("failed", false);
    if (shard.complete)
        return shard;
    auto progress = readJson(event.bucket, FanoutPlan::progressKey(event.prefix, event.shard));
    if (!progress)
        return progress.error();
    QSet<QString> judged;
    if (*progress && stringField(**progress, "job") == event.job) {
        shard.done = FanoutPlan::entriesFromJson((*progress)->value("items", json::array()), event.prefix);
        addUsage(shard.usage, **progress);
        shard.unsaved = integerField(**progress, "unsaved_verdicts", 0);
        for (const JobEntry &e : shard.done)
            judged.insert(e.key + QString::fromLatin1(e.etag));
    }
    for (JobEntry &e : FanoutPlan::entriesFromJson((*plan)->value("items", json::array()), event.prefix))
        if (!judged.contains(e.key + QString::fromLatin1(e.etag)))
            shard.todo.push_back(std::move(e));
    return shard;
}

Status FanoutJob::writeFinal(const ShardEvent &event, const Shard &shard, const QString &failure)
{
    const json doc = {{"job", utf8(event.job)},
                      {"shard", event.shard},
                      {"failed", !failure.isEmpty()},
                      {"error", failure.isEmpty() ? json() : json(utf8(failure))},
                      {"usage", usageJson(shard.usage)},
                      {"unsaved_verdicts", shard.unsaved},
                      {"writtenAt", utf8(nowIso())},
                      {"items", itemsJson(shard.done, shard.todo)}};
    if (!failure.isEmpty()) {
        const QString marker = ObjectKeys::triageFolder(event.prefix) + QStringLiteral("failed/%1").arg(event.shard);
        if (auto put = putJson(event.bucket, marker, {{"job", utf8(event.job)}, {"error", utf8(failure)}}); !put)
            return put;
    }
    return putJson(event.bucket, FanoutPlan::shardKey(event.prefix, event.shard), doc);
}

Result<json> FanoutJob::runShard(const ShardEvent &event, const aws::Invocation &invocation)
{
    auto shard = loadShard(event);
    if (!shard)
        return shard.error(); // worth Lambda's retry
    if (shard->superseded) {
        m_log.info("shard", tr("the job was replaced: nothing to do"), {{"shard", event.shard}});
        return json{{"shard", event.shard}, {"noop", true}};
    }
    if (shard->complete) {
        auto chained = readJson(event.bucket, FanoutPlan::chainedKey(event.prefix, event.shard));
        if (!chained)
            return chained.error();
        const bool resumeChain = !event.then.empty() && !(*chained && stringField(**chained, "job") == event.job);
        if (resumeChain) {
            if (auto started = continueChain(event); !started)
                return started.error();
        }
        // The invocation that completed it may have failed in its merge: its retry merges.
        auto merged = tryMerge(event.bucket, event.prefix, invocation);
        if (!merged)
            return merged.error();
        m_log.info("shard", resumeChain ? tr("already complete: started the rest of its chain") : tr("already complete: nothing to do"),
                   {{"shard", event.shard}, {"merged", *merged}});
        return json{{"shard", event.shard}, {"noop", !*merged}, {"chain_resumed", resumeChain}, {"merged", *merged}};
    }
    const aws::TriageRequest request{event.bucket, event.prefix, event.model};
    QSet<QString> listed;
    for (const JobEntry &e : shard->todo)
        for (const QString &key : e.preparedKeys)
            listed.insert(key);
    auto run = TriageJob(m_services, m_log).triageEntries(request, invocation, listed, shard->todo);
    if (!run)
        return run.error();
    addUsage(shard->usage, run->usage);
    shard->unsaved += run->unsavedVerdicts;
    std::vector<JobEntry> left;
    for (JobEntry &e : shard->todo) {
        if (e.unfinished && event.continuation < kMaxContinuations) {
            left.push_back(std::move(e));
            continue;
        }
        e.toJudge = false;
        shard->done.push_back(std::move(e));
    }
    shard->todo = std::move(left);
    if (shard->todo.empty())
        return finishShard(event, invocation, *shard);
    // Before the deadline: what is judged is saved, a fresh invocation takes the rest.
    const json progress = {{"job", utf8(event.job)}, {"shard", event.shard}, {"usage", usageJson(shard->usage)},
                           {"unsaved_verdicts", shard->unsaved}, {"items", itemsJson(shard->done)}};
    if (auto put = putJson(event.bucket, FanoutPlan::progressKey(event.prefix, event.shard), progress); !put)
        return put.error();
    ShardEvent next = event;
    ++next.continuation;
    if (auto started = invoke(next); !started)
        return started.error();
    m_log.info("shard", tr("handed the rest to a fresh invocation"),
               {{"shard", event.shard}, {"judged", shard->done.size()}, {"left", shard->todo.size()},
                {"continuation", next.continuation}});
    return json{{"shard", event.shard}, {"continued", true}, {"judged", shard->done.size()}, {"left", shard->todo.size()}};
}

Result<json> FanoutJob::finishShard(const ShardEvent &event, const aws::Invocation &invocation, const Shard &shard,
                                    const QString &failure)
{
    if (auto written = writeFinal(event, shard, failure); !written)
        return written.error();
    // The chain goes on before the merge check. When Lambda refuses the Invoke, this invocation
    // fails so that Lambda's retry, finding the shard complete, starts the rest of the chain; a
    // shard with more of its chain to run is never the job's last, so no merge is lost.
    if (auto started = continueChain(event); !started) {
        m_log.error("shard", started.error().message);
        return started.error();
    }
    auto tried = tryMerge(event.bucket, event.prefix, invocation);
    if (!tried)
        return tried.error(); // Lambda's retry finds the shard complete and merges again
    const bool merged = *tried;
    m_log.info("shard", failure.isEmpty() ? tr("shard complete") : tr("shard recorded as failed"),
               {{"shard", event.shard}, {"items", shard.done.size() + shard.todo.size()}, {"merged", merged}});
    return json{{"shard", event.shard}, {"complete", true}, {"failed", !failure.isEmpty()},
                {"items", shard.done.size() + shard.todo.size()}, {"merged", merged}};
}

Result<json> FanoutJob::shardFailed(const ShardEvent &event, const QString &why, const aws::Invocation &invocation)
{
    auto shard = loadShard(event);
    if (!shard)
        return shard.error();
    if (shard->superseded || shard->complete)
        return json{{"shard", event.shard}, {"noop", true}};
    const QString failure = tr("the shard failed after Lambda's retries: %1").arg(why);
    m_log.error("shard", failure, {{"shard", event.shard}});
    for (JobEntry &e : shard->todo) {
        e.result = errorResult(e.key, VerdictSource::Prefilter, makeError(Error::Code::Internal, failure));
        e.unfinished = true;
        e.toJudge = false;
    }
    return finishShard(event, invocation, *shard, failure);
}

Result<bool> FanoutJob::tryMerge(const QString &bucket, const QString &prefix, const aws::Invocation &invocation, bool force)
{
    auto job = readJson(bucket, ObjectKeys::jobKey(prefix));
    if (!job || !*job || stringField(**job, "state") != QLatin1String("running"))
        return false; // merged already (a redelivery), or replaced
    const int total = int(integerField(**job, "shards_total", 0));
    const QString jobId = stringField(**job, "job");
    auto listing = m_services.s3().listObjects(bucket, FanoutPlan::shardsFolder(prefix));
    if (!listing || total <= 0)
        return false;
    QSet<int> finals;
    for (const aws::S3ObjectInfo &o : *listing)
        if (const int k = FanoutPlan::shardOfKey(prefix, o.key); k >= 0 && k < total)
            finals.insert(k);
    if (finals.size() < total)
        return false;
    if (!force) {
        auto won = claimMerge(bucket, prefix, jobId, invocation);
        if (!won)
            return won.error();
        if (!*won) {
            m_log.info("merge", tr("another invocation merges"));
            return false;
        }
    }
    if (auto merged = merge(bucket, prefix, invocation, **job); !merged) {
        // Free for Lambda's retry of this invocation, or for the next POST /triage.
        (void)m_services.s3().deleteObjects(bucket, {FanoutPlan::mergeLockKey(prefix, jobId),
                                                     FanoutPlan::mergeMarkersFolder(prefix, jobId)
                                                         + QString::fromLatin1(invocation.requestId)});
        m_log.error("merge", merged.error().message);
        return merged.error();
    }
    return true;
}

Result<bool> FanoutJob::claimMerge(const QString &bucket, const QString &prefix, const QString &jobId,
                                   const aws::Invocation &invocation)
{
    // All shards are in, and several workers can see that at once: the one whose conditional
    // write of the job's merge lock succeeds merges.
    auto first = writeFirst(bucket, FanoutPlan::mergeLockKey(prefix, jobId), invocation);
    if (!first)
        return first.error();
    if (*first != Lock::Unsupported)
        return *first == Lock::Won;
    // Without conditional writes each leaves a marker and only the first marker listed merges.
    // Workers that list before a later marker appears may both merge; they write the same
    // document from the same immutable shard files, so that costs time only.
    const QString folder = FanoutPlan::mergeMarkersFolder(prefix, jobId);
    const QString marker = folder + QString::fromLatin1(invocation.requestId);
    if (auto put = putJson(bucket, marker, {{"at", utf8(nowIso())}}); !put)
        return put.error();
    auto markers = m_services.s3().listObjects(bucket, folder);
    if (!markers)
        return markers.error();
    return !markers->empty() && markers->front().key == marker;
}

Status FanoutJob::merge(const QString &bucket, const QString &prefix, const aws::Invocation &invocation, const json &job)
{
    const int total = int(integerField(job, "shards_total", 0));
    auto reused = readJson(bucket, FanoutPlan::reusedKey(prefix));
    if (!reused)
        return reused.error();
    std::vector<JobEntry> entries = *reused ? FanoutPlan::entriesFromJson((*reused)->value("items", json::array()), prefix)
                                            : std::vector<JobEntry>();
    gemini::UsageTotals usage;
    qint64 unsaved = 0;
    int failed = 0;
    // Read side by side: at 100,000 objects there are hundreds of shard files.
    struct ShardFile {
        int shard;
        std::optional<json> doc;
    };
    std::vector<ShardFile> files;
    for (int k = 0; k < total; ++k)
        files.push_back({k, std::nullopt});
    inTransferStreams(m_services.awsConfig(), files, [&](aws::S3Client &client, ShardFile &f) {
        if (auto doc = readJsonWith(client, bucket, FanoutPlan::shardKey(prefix, f.shard)))
            f.doc = std::move(*doc);
    });
    for (const ShardFile &f : files) {
        if (!f.doc)
            return makeError(Error::Code::NotFound, tr("shard file %1 is missing or unreadable").arg(f.shard));
        for (JobEntry &e : FanoutPlan::entriesFromJson(f.doc->value("items", json::array()), prefix))
            entries.push_back(std::move(e));
        addUsage(usage, *f.doc);
        unsaved += integerField(*f.doc, "unsaved_verdicts", 0);
        failed += f.doc->value("failed", false) ? 1 : 0;
    }
    entries = FanoutPlan::merged(std::move(entries));
    ResultsContext context{bucket, prefix, invocation.requestId, stringField(job, "engine"), stringField(job, "engine_model"),
                           usage, std::nullopt, int(unsaved), QString()};
    if (failed > 0) {
        context.failureNote = tr("%n shard(s) failed after Lambda's retries; their objects are errors. POST /triage again "
                                 "to run only those shards.", nullptr, failed);
        context.stopped = makeError(Error::Code::Internal, context.failureNote);
    }
    const nlohmann::ordered_json doc = TriageJobStages::resultsReport(entries, context).toJson();
    if (auto put = putJson(bucket, FanoutPlan::signalsKey(prefix), FanoutPlan::signalsDocument(entries)); !put)
        m_log.warn("merge", put.error().message);
    auto put = m_services.s3().putObject(bucket, ObjectKeys::resultsKey(prefix), QByteArray::fromStdString(doc.dump(2)),
                                         "application/json");
    if (!put)
        return put;
    json state = job;
    const bool partial = doc.at("partial").get<bool>();
    state["state"] = partial ? "partial" : "done";
    state["updatedAt"] = utf8(nowIso());
    state["shards_done"] = total;
    state["shards_failed"] = failed;
    state["counts"] = json::parse(doc.at("counts").dump());
    m_log.info("merge", tr("results merged"), {{"items", entries.size()}, {"shards", total}, {"failed", failed}});
    return putJson(bucket, ObjectKeys::jobKey(prefix), state);
}

} // namespace mt::lambda
