#include "triage/TriageReport.h"

#include "metadata/MetadataJson.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSaveFile>

namespace mt {

using nlohmann::ordered_json;

namespace {

ordered_json nullable(const QString &s) { return s.isEmpty() ? ordered_json() : ordered_json(s.toStdString()); }

QString fileNameOf(const ReportItem &item)
{
    const QString &name = item.key.isEmpty() ? item.result.path : item.key;
    return name.mid(name.lastIndexOf(u'/') + 1);
}

ordered_json groupJson(const std::optional<ItemGroup> &group)
{
    if (!group)
        return ordered_json();
    return {{"id", group->id},
            {"kind", groupKindName(group->kind).toStdString()},
            {"best", group->best},
            {"keeper", group->keeperPath.toStdString()}};
}

QString sourceOf(const ReportItem &item)
{
    return item.personKeep ? QStringLiteral("person") : sourceName(item.result.source);
}

} // namespace

TriageReport TriageReport::fromRun(const TriageRun &run, const std::vector<MediaItem> *media)
{
    ReportHeader header{run.engine, run.model, run.usage, run.stopped, run.unsavedVerdicts, ordered_json::object(),
                        ordered_json::object()};
    std::vector<ReportItem> items;
    for (size_t i = 0; i < run.items.size(); ++i) {
        ReportItem item;
        item.result = run.items[i];
        if (media && i < media->size() && (*media)[i].path == item.result.path) {
            item.kind = (*media)[i].kind;
            item.sizeBytes = (*media)[i].sizeBytes;
            item.companions = (*media)[i].companions;
        }
        items.push_back(std::move(item));
    }
    return TriageReport(std::move(header), std::move(items));
}

void TriageReport::applyXmpReviews(const std::vector<XmpReview> &reviews)
{
    for (size_t i = 0; i < reviews.size() && i < m_items.size(); ++i) {
        ReportItem &item = m_items[i];
        item.xmp = reviews[i].rating;
        item.xmpConflict = reviews[i].conflict;
        if (!reviews[i].conflict.isEmpty() && !item.personKeep)
            item.personKeep = reviews[i].personKeep();
    }
}

std::vector<TriageItemResult> TriageReport::decidedResults() const
{
    std::vector<TriageItemResult> results;
    for (const ReportItem &item : m_items) {
        results.push_back(item.result);
        results.back().verdict = effectiveVerdict(item);
    }
    return results;
}

VerdictKind TriageReport::effectiveVerdict(const ReportItem &item)
{
    if (item.personKeep)
        return *item.personKeep ? VerdictKind::Keep : VerdictKind::Discard;
    return item.result.verdict;
}

ordered_json TriageReport::itemJson(const ReportItem &item) const
{
    const TriageItemResult &r = item.result;
    ordered_json j;
    if (item.key.isEmpty())
        j["path"] = r.path.toStdString();
    else
        j["key"] = item.key.toStdString();
    j["file"] = fileNameOf(item).toStdString();
    j["kind"] = item.kind ? ordered_json(kindName(*item.kind).toStdString()) : ordered_json();
    j["size_bytes"] = item.sizeBytes >= 0 ? ordered_json(item.sizeBytes) : ordered_json();
    j["verdict"] = verdictName(effectiveVerdict(item)).toStdString();
    j["reason"] = nullable(r.reason);
    j["source"] = sourceOf(item).toStdString();
    j["engine_verdict"] = verdictName(r.verdict).toStdString();
    j["overridden"] = item.personKeep.has_value();
    j["error"] = r.error ? ordered_json(r.error->message.toStdString()) : ordered_json();
    j["error_code"] = r.error ? ordered_json(errorCodeName(r.error->code).toStdString()) : ordered_json();
    j["duplicate_group"] = r.duplicateGroup >= 0 ? ordered_json(r.duplicateGroup) : ordered_json();
    j["best_in_group"] = r.duplicateGroup >= 0 && r.bestInGroup;
    j["similar_to"] = nullable(r.similarTo);
    j["group"] = groupJson(r.group);
    j["xmp"] = item.xmp ? ordered_json{{"rating", item.xmp->rating ? ordered_json(*item.xmp->rating) : ordered_json()},
                                       {"label", nullable(item.xmp->label)},
                                       {"pick", item.xmp->pick ? ordered_json(*item.xmp->pick) : ordered_json()},
                                       {"source", item.xmp->source.toStdString()},
                                       {"conflict", nullable(item.xmpConflict)}}
                        : ordered_json();
    j["live_photo_of"] = nullable(r.livePhotoOf);
    j["identical_to"] = nullable(r.identicalTo);
    j["companions"] = ordered_json::array();
    for (const QString &companion : item.companions)
        j["companions"].push_back(companion.toStdString());
    j["motion"] = motionToJson(r.motion);
    j["content_hash"] = nullable(r.contentHash);
    j["model_version"] = nullable(r.modelVersion);
    if (!item.key.isEmpty()) {
        j["etag"] = item.etag.toStdString();
        j["thumbnail"] = nullable(item.thumbnail);
    }
    return j;
}

ordered_json TriageReport::countsJson() const
{
    int keep = 0, discard = 0, errors = 0;
    for (const ReportItem &item : m_items) {
        const VerdictKind v = effectiveVerdict(item);
        (v == VerdictKind::Keep ? keep : v == VerdictKind::Discard ? discard : errors)++;
    }
    ordered_json counts = {{"items", m_items.size()}, {"keep", keep}, {"discard", discard}, {"errors", errors}};
    for (const auto &[name, value] : m_header.extraCounts.items())
        counts[name] = value;
    return counts;
}

ordered_json TriageReport::toJson() const
{
    ordered_json doc;
    doc["schema_version"] = kSchemaVersion;
    doc["generated_at"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    doc["engine"] = m_header.engine.toStdString();
    doc["model"] = nullable(m_header.model);
    for (const auto &[name, value] : m_header.extra.items())
        doc[name] = value;
    doc["stopped"] = m_header.stopped ? ordered_json{{"code", errorCodeName(m_header.stopped->code).toStdString()},
                                                     {"message", m_header.stopped->message.toStdString()}}
                                      : ordered_json();
    doc["counts"] = countsJson();
    doc["unsaved_verdicts"] = m_header.unsavedVerdicts;
    doc["usage"] = {{"requests", m_header.usage.requests},
                    {"prompt_tokens", m_header.usage.promptTokens},
                    {"output_tokens", m_header.usage.outputTokens}};
    ordered_json items = ordered_json::array();
    for (const ReportItem &item : m_items)
        items.push_back(itemJson(item));
    doc["items"] = std::move(items);
    return doc;
}

QString TriageReport::csvField(const QString &value)
{
    // Quoted whenever a spreadsheet could misread it; a leading = + - @ is neutralised so a file
    // name cannot become a formula.
    QString s = value;
    if (!s.isEmpty() && QStringLiteral("=+-@").contains(s.front()))
        s.prepend(u'\'');
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n') || s.contains(u'\r')) {
        s.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        return u'"' + s + u'"';
    }
    return s;
}

QByteArray TriageReport::toCsv() const
{
    const bool keys = !m_items.empty() && !m_items.front().key.isEmpty();
    QStringList lines{QStringList{keys ? QStringLiteral("key") : QStringLiteral("path"), QStringLiteral("file"),
                                  QStringLiteral("kind"), QStringLiteral("size_bytes"), QStringLiteral("verdict"),
                                  QStringLiteral("reason"), QStringLiteral("source"), QStringLiteral("engine_verdict"),
                                  QStringLiteral("error"), QStringLiteral("error_code"), QStringLiteral("duplicate_group"),
                                  QStringLiteral("best_in_group"), QStringLiteral("similar_to"),
                                  QStringLiteral("live_photo_of"), QStringLiteral("identical_to"),
                                  QStringLiteral("group_kind"), QStringLiteral("motion_kind"),
                                  QStringLiteral("motion_clip")}
                          .join(u',')};
    for (const ReportItem &item : m_items) {
        const TriageItemResult &r = item.result;
        lines << QStringList{csvField(item.key.isEmpty() ? r.path : item.key), csvField(fileNameOf(item)),
                             item.kind ? kindName(*item.kind) : QString(),
                             item.sizeBytes >= 0 ? QString::number(item.sizeBytes) : QString(),
                             verdictName(effectiveVerdict(item)), csvField(r.reason), sourceOf(item),
                             verdictName(r.verdict), csvField(r.errorMessage()),
                             r.error ? errorCodeName(r.error->code) : QString(),
                             r.duplicateGroup >= 0 ? QString::number(r.duplicateGroup) : QString(),
                             r.duplicateGroup >= 0 && r.bestInGroup ? QStringLiteral("true") : QStringLiteral("false"),
                             csvField(r.similarTo), csvField(r.livePhotoOf), csvField(r.identicalTo),
                             r.group ? groupKindName(r.group->kind) : QString(), r.motion ? motionKindName(r.motion->kind) : QString(),
                             csvField(r.motion ? r.motion->clipPath : QString())}
                     .join(u',');
    }
    return lines.join(u'\n').toUtf8() + '\n';
}

Status TriageReport::save(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io, tr("Cannot write the report %1: %2").arg(path, file.errorString()));
    const bool csv = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
    file.write(csv ? toCsv() : QByteArray::fromStdString(toJson().dump(2)) + '\n');
    if (!file.commit())
        return makeError(Error::Code::Io, tr("Cannot write the report %1: %2").arg(path, file.errorString()));
    return Done{};
}

} // namespace mt
