#include "lambda/TriageJobStages.h"

#include "lambda/JsonFields.h"
#include "lambda/ObjectKeys.h"
#include "media/MediaType.h"

namespace mt::lambda {

using nlohmann::json;

RememberedVerdicts TriageJobStages::rememberedVerdicts(const json &previous, const QString &engine, const QString &model)
{
    RememberedVerdicts remembered;
    if (!previous.is_object() || stringField(previous, "engine") != engine || stringField(previous, "model") != model)
        return remembered;
    const auto items = previous.find("items");
    if (items == previous.end() || !items->is_array())
        return remembered;
    for (const json &item : *items) {
        const QString verdict = stringField(item, "verdict");
        const QString key = stringField(item, "key");
        if (key.isEmpty() || (verdict != QLatin1String("keep") && verdict != QLatin1String("discard")))
            continue;
        remembered.insert(key, RememberedVerdict{aws::unquotedEtag(stringField(item, "etag").toLatin1()),
                                                 integerField(item, "size_bytes", -1),
                                                 verdict == QLatin1String("keep") ? VerdictKind::Keep : VerdictKind::Discard,
                                                 stringField(item, "reason"), stringField(item, "thumbnail")});
    }
    return remembered;
}

std::vector<JobEntry> TriageJobStages::entriesFromListing(const std::vector<aws::S3ObjectInfo> &listing,
                                                          const QString &prefix, const RememberedVerdicts &remembered,
                                                          int *skipped)
{
    std::vector<JobEntry> entries;
    int skips = 0;
    for (const aws::S3ObjectInfo &o : listing) {
        const auto type = mediaTypeForExtension(o.key);
        if (o.key.endsWith(u'/') || ObjectKeys::isTriageArtifact(o.key, prefix) || !type) {
            ++skips;
            continue;
        }
        JobEntry e;
        e.key = o.key;
        e.sizeBytes = o.size;
        e.etag = o.etag;
        e.kind = type->kind;
        e.result.path = o.key;
        if (auto rel = ObjectKeys::localRelativePath(o.key); !rel) {
            e.result.error = makeError(Error::Code::InvalidArgument, tr("refused key: %1").arg(rel.error().message));
        } else if (const auto r = remembered.constFind(o.key);
                   r != remembered.constEnd() && r->etag == aws::unquotedEtag(o.etag) && r->sizeBytes == o.size) {
            e.result.verdict = r->verdict;
            e.result.reason = r->reason;
            e.result.source = VerdictSource::Cache;
            e.thumbnailKey = r->thumbnail; // what the earlier run managed to upload, if anything
            e.reused = true;
        } else {
            e.relative = *rel;
            e.toJudge = true;
        }
        entries.push_back(std::move(e));
    }
    if (skipped)
        *skipped = skips;
    return entries;
}

Error TriageJobStages::notJudgedError()
{
    return makeError(Error::Code::Timeout, tr("not judged before the deadline"));
}

bool TriageJobStages::stoppedByDeadline(const Error &error)
{
    return error.code == Error::Code::Cancelled || error.code == Error::Code::Timeout;
}

void TriageJobStages::applyOutcome(std::vector<JobEntry> &entries, const std::vector<TriageItemResult> &outcome,
                                   bool deadlineHit)
{
    // The engine names other items by the local path it judged; results.json names objects.
    QHash<QString, QString> keyOf;
    for (const JobEntry &e : entries)
        if (!e.localPath.isEmpty())
            keyOf.insert(e.localPath, e.key);
    auto asKey = [&keyOf](const QString &path) { return path.isEmpty() ? path : keyOf.value(path, path); };
    for (JobEntry &e : entries) {
        if (e.item < 0)
            continue;
        const bool missing = size_t(e.item) >= outcome.size() || outcome[size_t(e.item)].path.isEmpty();
        if (missing || (deadlineHit && outcome[size_t(e.item)].error && stoppedByDeadline(*outcome[size_t(e.item)].error))) {
            e.unfinished = true;
            e.result = errorResult(e.key, VerdictSource::Prefilter, notJudgedError());
            continue;
        }
        e.result = outcome[size_t(e.item)];
        e.result.path = e.key;
        e.result.livePhotoOf = asKey(e.result.livePhotoOf);
        e.result.identicalTo = asKey(e.result.identicalTo);
        e.result.similarTo = asKey(e.result.similarTo);
        if (e.result.group)
            e.result.group->keeperPath = asKey(e.result.group->keeperPath);
        if (e.result.motion)
            e.result.motion->clipPath = asKey(e.result.motion->clipPath);
    }
}

TriageReport TriageJobStages::resultsReport(const std::vector<JobEntry> &entries, const ResultsContext &context)
{
    int reused = 0, unfinished = 0;
    std::vector<ReportItem> items;
    for (const JobEntry &e : entries) {
        reused += e.reused;
        unfinished += e.unfinished;
        ReportItem item;
        item.result = e.result;
        item.key = e.key;
        item.kind = e.kind;
        item.sizeBytes = e.sizeBytes;
        item.etag = QString::fromLatin1(aws::unquotedEtag(e.etag));
        item.thumbnail = e.result.verdict == VerdictKind::Error ? QString() : e.thumbnailKey;
        items.push_back(std::move(item));
    }
    const bool partial = unfinished > 0 || !context.failureNote.isEmpty();
    ReportHeader header;
    header.engine = context.engine;
    header.model = context.model;
    header.usage = context.usage;
    header.stopped = context.stopped;
    header.unsavedVerdicts = context.unsavedVerdicts;
    header.extra = {{"bucket", context.bucket.toStdString()},
                    {"prefix", context.prefix.toStdString()},
                    {"request_id", context.requestId.toStdString()},
                    {"partial", partial},
                    {"note", !context.failureNote.isEmpty() ? nlohmann::ordered_json(context.failureNote.toStdString())
                             : partial ? nlohmann::ordered_json(tr("%n item(s) were not judged before the deadline; invoke "
                                                                 "again to finish them.",
                                                                 nullptr, unfinished)
                                                                  .toStdString())
                                     : nlohmann::ordered_json()}};
    header.extraCounts = {{"reused", reused}, {"unfinished", unfinished}};
    return TriageReport(std::move(header), std::move(items));
}

} // namespace mt::lambda
