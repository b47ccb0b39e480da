#include "lambda/FanoutPlan.h"

#include "lambda/GroupingSignals.h"
#include "lambda/JsonFields.h"
#include "lambda/ObjectKeys.h"
#include "metadata/MetadataJson.h"

#include <QFileInfo>
#include <QHash>

#include <algorithm>

namespace mt::lambda {

using nlohmann::json;

namespace {

std::string utf8(const QString &s) { return s.toStdString(); }
json nullable(const QString &s) { return s.isEmpty() ? json() : json(utf8(s)); }

std::optional<VerdictKind> verdictFromName(const QString &name)
{
    for (VerdictKind v : {VerdictKind::Keep, VerdictKind::Discard, VerdictKind::Error})
        if (verdictName(v) == name)
            return v;
    return std::nullopt;
}

VerdictSource sourceFromName(const QString &name)
{
    for (VerdictSource s : {VerdictSource::Gemini, VerdictSource::Prefilter, VerdictSource::Cache, VerdictSource::Local})
        if (sourceName(s) == name)
            return s;
    return VerdictSource::Prefilter;
}

Error::Code codeFromName(const QString &name)
{
    for (int c = 0; c <= int(Error::Code::Internal); ++c)
        if (errorCodeName(Error::Code(c)) == name)
            return Error::Code(c);
    return Error::Code::Internal;
}

// Folder plus name without extension: what a Live Photo's still and clip have in common.
QString pairingStem(const QString &key)
{
    const int slash = key.lastIndexOf(u'/');
    const int dot = key.indexOf(u'.', slash + 1);
    return dot < 0 ? key : key.left(dot);
}


// The `motion` object of a shard file (motionToJson's form) back into the result, clip as its key.
std::optional<MotionPart> motionFromJson(const json &doc)
{
    if (!doc.is_object())
        return std::nullopt;
    MotionPart m;
    m.kind = stringField(doc, "kind") == motionKindName(MotionPart::Kind::LivePhoto) ? MotionPart::Kind::LivePhoto
                                                                                    : MotionPart::Kind::MotionPhoto;
    const json clip = doc.value("clip", json::object());
    m.clipPath = stringField(clip, "path");
    m.clipOffset = integerField(clip, "offset", 0);
    m.clipLength = integerField(clip, "length", 0);
    if (const auto d = doc.find("duration_s"); d != doc.end() && d->is_number())
        m.durationSeconds = d->get<double>();
    m.error = stringField(doc, "error");
    return m;
}

} // namespace

FanoutLimits FanoutLimits::fromEnvironment()
{
    FanoutLimits limits;
    auto positive = [](qint64 value, auto fallback) { return value > 0 ? decltype(fallback)(value) : fallback; };
    limits.shardItems = positive(qEnvironmentVariableIntValue("MT_SHARD_ITEMS"), limits.shardItems);
    limits.concurrency = positive(qEnvironmentVariableIntValue("MT_SHARD_CONCURRENCY"), limits.concurrency);
    limits.shardBytes = positive(qint64(qEnvironmentVariableIntValue("MT_SHARD_MB")) << 20, limits.shardBytes);
    limits.geminiRpm = positive(qEnvironmentVariableIntValue("MT_GEMINI_RPM"), limits.geminiRpm);
    limits.geminiTpm = positive(qEnvironmentVariable("MT_GEMINI_TPM").toLongLong(), limits.geminiTpm);
    return limits;
}

void FanoutLimits::applyGeminiShare(gemini::GeminiConfig &config, bool shard) const
{
    // A 429 then only slows the shard that got it (its own retries), never the others.
    const int shares = shard ? std::max(1, concurrency) : 1;
    config.requestsPerMinute = std::max(1, geminiRpm / shares);
    config.tokensPerMinute = std::max<qint64>(1, geminiTpm / shares);
}

QString FanoutPlan::planKey(const QString &prefix, int shard)
{
    return ObjectKeys::triageFolder(prefix) + QStringLiteral("plan/%1.json").arg(shard);
}
QString FanoutPlan::reusedKey(const QString &prefix) { return ObjectKeys::triageFolder(prefix) + QStringLiteral("plan/reused.json"); }
QString FanoutPlan::progressKey(const QString &prefix, int shard)
{
    return ObjectKeys::triageFolder(prefix) + QStringLiteral("progress/%1.json").arg(shard);
}
QString FanoutPlan::chainedKey(const QString &prefix, int shard)
{
    return ObjectKeys::triageFolder(prefix) + QStringLiteral("chained/%1.json").arg(shard);
}
QString FanoutPlan::shardsFolder(const QString &prefix) { return ObjectKeys::triageFolder(prefix) + QStringLiteral("shards/"); }
QString FanoutPlan::shardKey(const QString &prefix, int shard) { return shardsFolder(prefix) + QStringLiteral("%1.json").arg(shard); }
QString FanoutPlan::mergeFolder(const QString &prefix) { return ObjectKeys::triageFolder(prefix) + QStringLiteral("merge/"); }
QString FanoutPlan::mergeLockKey(const QString &prefix, const QString &job) { return mergeFolder(prefix) + job + QStringLiteral(".lock"); }
QString FanoutPlan::mergeMarkersFolder(const QString &prefix, const QString &job) { return mergeFolder(prefix) + job + u'/'; }
QString FanoutPlan::claimsFolder(const QString &prefix) { return ObjectKeys::triageFolder(prefix) + QStringLiteral("claims/"); }
QString FanoutPlan::claimLockKey(const QString &prefix) { return claimsFolder(prefix) + QStringLiteral("lock"); }
QString FanoutPlan::signalsKey(const QString &prefix) { return ObjectKeys::triageFolder(prefix) + QStringLiteral("signals.json"); }

int FanoutPlan::shardOfKey(const QString &prefix, const QString &key)
{
    const QString folder = shardsFolder(prefix);
    if (!key.startsWith(folder) || !key.endsWith(QLatin1String(".json")))
        return -1;
    bool ok = false;
    const int shard = key.mid(folder.size(), key.size() - folder.size() - 5).toInt(&ok);
    return ok && shard >= 0 ? shard : -1;
}

std::vector<long> FanoutPlan::listedCopies(const std::vector<JobEntry> &entries)
{
    // S3's ETag is the MD5 of a single-part upload, of the part MD5s for a multipart one: equal ETags
    // and sizes are equal bytes. (An encrypted object's ETag is no digest; that only misses copies.)
    std::vector<long> firstOf(entries.size(), -1);
    QHash<QPair<QByteArray, qint64>, long> seen;
    for (size_t i = 0; i < entries.size(); ++i) {
        if (!entries[i].toJudge || entries[i].etag.isEmpty())
            continue;
        const auto it = seen.constFind({entries[i].etag, entries[i].sizeBytes});
        if (it != seen.constEnd())
            firstOf[i] = *it;
        else
            seen.insert({entries[i].etag, entries[i].sizeBytes}, long(i));
    }
    return firstOf;
}

std::vector<std::vector<size_t>> FanoutPlan::shards(const std::vector<JobEntry> &entries, const FanoutLimits &limits)
{
    std::vector<std::vector<size_t>> out;
    const std::vector<long> copyOf = listedCopies(entries);
    const int judged = int(std::count_if(entries.begin(), entries.end(), [](const JobEntry &e) { return e.toJudge; }));
    const int perShard = std::max(1, limits.shardItems), waves = std::max(1, limits.concurrency);
    int count = std::max(1, (judged + perShard - 1) / perShard);
    // Whole waves of equal shards: 10 shards of 100 at 8 at a time would run a second wave of two
    // full shards while six chains stand idle; 16 shards of 63 finish both waves together. A job
    // of fewer shards than chains is spread over every chain instead of leaving them idle.
    if (count > waves)
        count = (count + waves - 1) / waves * waves;
    else
        count = std::clamp(judged / kMinShardItems, count, waves);
    auto quota = [&](size_t shard) { return judged / count + (int(shard) < judged % count ? 1 : 0); };
    std::vector<qint64> bytes;
    std::vector<long> shardOf(entries.size(), -1);
    QString lastStem;
    for (size_t i = 0; i < entries.size(); ++i) {
        if (!entries[i].toJudge)
            continue;
        // A byte-identical copy rides in its first copy's shard, where the session's exact-copy
        // rule judges the bytes once; in another shard they would be paid for twice. Unless that
        // would break the shard's bounds: then it is placed like any other object.
        if (copyOf[i] >= 0) {
            const size_t first = size_t(shardOf[size_t(copyOf[i])]);
            if (int(out[first].size()) < perShard && bytes[first] + entries[i].sizeBytes <= limits.shardBytes) {
                out[first].push_back(i);
                bytes[first] += entries[i].sizeBytes;
                shardOf[i] = long(first);
                continue;
            }
        }
        const QString stem = pairingStem(entries[i].key);
        const bool full = !out.empty()
            && (int(out.back().size()) >= quota(out.size() - 1) || bytes.back() + entries[i].sizeBytes > limits.shardBytes);
        if (out.empty() || (full && stem != lastStem)) {
            out.emplace_back();
            bytes.push_back(0);
        }
        out.back().push_back(i);
        bytes.back() += entries[i].sizeBytes;
        shardOf[i] = long(out.size()) - 1;
        lastStem = stem;
    }
    for (auto &shard : out)
        std::sort(shard.begin(), shard.end()); // listing order, as one invocation would judge them
    return out;
}

std::vector<std::vector<int>> FanoutPlan::chains(const std::vector<int> &shards, int concurrency)
{
    std::vector<std::vector<int>> out(size_t(std::clamp<int>(concurrency, 1, std::max<int>(1, int(shards.size())))));
    for (size_t i = 0; i < shards.size(); ++i)
        out[i % out.size()].push_back(shards[i]);
    if (shards.empty())
        out.clear();
    return out;
}

json FanoutPlan::toJson(const ShardEvent &event)
{
    return {{"action", "triage-shard"}, {"bucket", utf8(event.bucket)}, {"prefix", utf8(event.prefix)},
            {"model", nullable(event.model)}, {"job", utf8(event.job)}, {"shard", event.shard},
            {"then", event.then}, {"continuation", event.continuation}};
}

bool FanoutPlan::isShardEvent(const json &event) { return stringField(event, "action") == QLatin1String("triage-shard"); }

Result<ShardEvent> FanoutPlan::parseShardEvent(const json &event)
{
    ShardEvent e;
    e.bucket = stringField(event, "bucket");
    e.prefix = stringField(event, "prefix");
    e.model = stringField(event, "model");
    e.job = stringField(event, "job");
    e.shard = int(integerField(event, "shard", -1));
    e.continuation = int(integerField(event, "continuation", 0));
    if (const auto then = event.find("then"); then != event.end() && then->is_array())
        for (const json &k : *then)
            if (k.is_number_integer() && k.get<int>() >= 0)
                e.then.push_back(k.get<int>());
    if (e.bucket.isEmpty() || e.job.isEmpty() || e.shard < 0)
        return makeError(Error::Code::InvalidArgument,
                         tr("a triage-shard event needs \"bucket\", \"prefix\", \"job\" and a \"shard\" number"));
    return e;
}

bool FanoutPlan::isFailureRecord(const json &event) { return parseFailureRecord(event).has_value(); }

std::optional<std::pair<ShardEvent, QString>> FanoutPlan::parseFailureRecord(const json &record)
{
    if (!record.is_object())
        return std::nullopt;
    // Delivered through the SQS on-failure queue: the invocation record is the message body.
    if (const auto records = record.find("Records"); records != record.end() && records->is_array() && records->size() == 1
        && stringField((*records)[0], "eventSource") == QLatin1String("aws:sqs")) {
        const std::string body = (*records)[0].value("body", std::string());
        return parseFailureRecord(json::parse(body, nullptr, false));
    }
    const auto context = record.find("requestContext");
    const auto payload = record.find("requestPayload");
    if (context == record.end() || payload == record.end() || stringField(*context, "condition").isEmpty()
        || !isShardEvent(*payload))
        return std::nullopt;
    auto event = parseShardEvent(*payload);
    if (!event)
        return std::nullopt;
    QString why = stringField(record.value("responsePayload", json::object()), "errorMessage");
    if (why.isEmpty())
        why = stringField(*context, "condition");
    return std::make_pair(*event, why);
}

json FanoutPlan::entryJson(const JobEntry &e)
{
    if (e.toJudge) { // planned, not judged yet: the object only
        json doc = {{"key", utf8(e.key)}, {"size", e.sizeBytes}, {"etag", e.etag.toStdString()}};
        if (!e.preparedKeys.isEmpty()) {
            json prepared = json::array();
            for (const QString &k : e.preparedKeys)
                prepared.push_back(utf8(k));
            doc["prepared"] = std::move(prepared);
        }
        return doc;
    }
    const TriageItemResult &r = e.result;
    json doc = {{"key", utf8(e.key)},
                {"size", e.sizeBytes},
                {"etag", e.etag.toStdString()},
                {"verdict", utf8(verdictName(r.verdict))},
                {"reason", utf8(r.reason)},
                {"source", utf8(sourceName(r.source))},
                {"error", r.error ? json{{"code", utf8(errorCodeName(r.error->code))}, {"message", utf8(r.error->message)}} : json()},
                {"content_hash", nullable(r.contentHash)},
                {"model_version", nullable(r.modelVersion)},
                {"live_photo_of", nullable(r.livePhotoOf)},
                {"identical_to", nullable(r.identicalTo)},
                {"thumbnail", nullable(e.thumbnailKey)},
                {"reused", e.reused},
                {"unfinished", e.unfinished},
                {"signals", e.grouping ? GroupingSignalsCodec::toJson(*e.grouping) : json()},
                {"motion", json::parse(motionToJson(r.motion).dump())}};
    return doc;
}

std::optional<JobEntry> FanoutPlan::entryFromJson(const json &doc, const QString &prefix)
{
    const QString key = stringField(doc, "key");
    if (key.isEmpty())
        return std::nullopt;
    // The same rules as a listing: a key that is not a media object of the prefix is refused.
    aws::S3ObjectInfo object{key, integerField(doc, "size", 0), stringField(doc, "etag").toLatin1(), {}};
    auto entries = TriageJobStages::entriesFromListing({object}, prefix, {});
    if (entries.size() != 1)
        return std::nullopt;
    JobEntry e = std::move(entries.front());
    if (const auto prepared = doc.find("prepared"); prepared != doc.end() && prepared->is_array())
        for (const json &k : *prepared)
            if (k.is_string())
                e.preparedKeys << QString::fromStdString(k.get<std::string>());
    const auto verdict = verdictFromName(stringField(doc, "verdict"));
    if (!verdict || !e.toJudge)
        return e; // a plan entry (nothing judged yet), or a refused key with its error
    TriageItemResult &r = e.result;
    r.verdict = *verdict;
    r.reason = stringField(doc, "reason");
    r.source = sourceFromName(stringField(doc, "source"));
    r.error.reset();
    if (const auto error = doc.find("error"); error != doc.end() && error->is_object())
        r.error = makeError(codeFromName(stringField(*error, "code")), stringField(*error, "message"));
    else if (r.verdict == VerdictKind::Error)
        r.error = makeError(Error::Code::Internal, r.reason);
    r.contentHash = stringField(doc, "content_hash");
    r.modelVersion = stringField(doc, "model_version");
    r.livePhotoOf = stringField(doc, "live_photo_of");
    r.identicalTo = stringField(doc, "identical_to");
    e.thumbnailKey = stringField(doc, "thumbnail");
    const auto flag = [&doc](const char *name) { return doc.contains(name) && doc[name].is_boolean() && doc[name].get<bool>(); };
    e.reused = flag("reused");
    e.unfinished = flag("unfinished");
    e.toJudge = false;
    if (const auto s = doc.find("signals"); s != doc.end() && !s->is_null())
        e.grouping = GroupingSignalsCodec::fromJson(*s);
    r.motion = motionFromJson(doc.value("motion", json()));
    return e;
}

std::vector<JobEntry> FanoutPlan::entriesFromJson(const json &items, const QString &prefix)
{
    std::vector<JobEntry> entries;
    if (!items.is_array())
        return entries;
    for (const json &item : items)
        if (auto e = entryFromJson(item, prefix))
            entries.push_back(std::move(*e));
    return entries;
}

json FanoutPlan::signalsDocument(const std::vector<JobEntry> &entries)
{
    json items = json::object();
    for (const JobEntry &e : entries)
        if (e.grouping && e.result.verdict != VerdictKind::Error)
            items[utf8(e.key)] = {{"etag", aws::unquotedEtag(e.etag).toStdString()},
                                  {"size", e.sizeBytes},
                                  {"signals", GroupingSignalsCodec::toJson(*e.grouping)}};
    return {{"items", std::move(items)}};
}

void FanoutPlan::attachSignals(std::vector<JobEntry> &entries, const json &document)
{
    const auto items = document.is_object() ? document.find("items") : document.end();
    if (items == document.end() || !items->is_object())
        return;
    for (JobEntry &e : entries) {
        const auto it = items->find(utf8(e.key));
        if (e.grouping || it == items->end() || stringField(*it, "etag").toLatin1() != aws::unquotedEtag(e.etag)
            || integerField(*it, "size", -1) != e.sizeBytes)
            continue;
        if (const auto s = it->find("signals"); s != it->end())
            e.grouping = GroupingSignalsCodec::fromJson(*s);
    }
}

std::vector<JobEntry> FanoutPlan::merged(std::vector<JobEntry> entries)
{
    std::stable_sort(entries.begin(), entries.end(),
                     [](const JobEntry &a, const JobEntry &b) { return a.key.toUtf8() < b.key.toUtf8(); });
    GroupingSignalsCodec::applyGroups(entries);
    return entries;
}

} // namespace mt::lambda
