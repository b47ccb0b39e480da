#include "lambda/GroupingSignals.h"

#include "lambda/JsonFields.h"
#include "lambda/TriageJobStages.h"
#include "metadata/MetadataReader.h"
#include "quality/MediaGrouper.h"
#include "quality/SignalExtractor.h"
#include "triage/Prefilter.h"

#include <QByteArray>

namespace mt::lambda {

using nlohmann::json;
using quality::ImageSignals;

namespace {

// The scalar members of ImageSignals, by their JSON names; one table for both directions.
struct ScalarMember {
    const char *name;
    double ImageSignals::*member;
};
constexpr ScalarMember kScalars[] = {
    {"mean_luma", &ImageSignals::meanLuma},
    {"p1", &ImageSignals::p1},
    {"p50", &ImageSignals::p50},
    {"p99", &ImageSignals::p99},
    {"near_black", &ImageSignals::nearBlack},
    {"near_white", &ImageSignals::nearWhite},
    {"dynamic_range", &ImageSignals::dynamicRange},
    {"sharpness", &ImageSignals::sharpness},
    {"regional_sharpness", &ImageSignals::regionalSharpness},
    {"sharp_tile_fraction", &ImageSignals::sharpTileFraction},
    {"edge_density", &ImageSignals::edgeDensity},
    {"motion_blur", &ImageSignals::motionBlur},
    {"contrast", &ImageSignals::contrast},
    {"detail_fraction", &ImageSignals::detailFraction},
    {"colourfulness", &ImageSignals::colourfulness},
    {"dominant_colour", &ImageSignals::dominantColour},
};

json imageJson(const ImageSignals &s)
{
    json doc = {{"width", s.width},
                {"height", s.height},
                {"phash", QString::number(s.perceptualHash, 16).rightJustified(16, u'0').toStdString()},
                {"fingerprint", QByteArray(reinterpret_cast<const char *>(s.fingerprint.data()), int(s.fingerprint.size()))
                                    .toBase64()
                                    .toStdString()}};
    for (const ScalarMember &m : kScalars)
        doc[m.name] = s.*(m.member);
    doc["colour_histogram"] = json(std::vector<float>(s.colourHistogram.begin(), s.colourHistogram.end()));
    QString detail;
    for (quint64 word : s.detailHash)
        detail += QString::number(word, 16).rightJustified(16, u'0');
    doc["detail_hash"] = detail.toStdString();
    return doc;
}

std::optional<ImageSignals> imageFromJson(const json &doc)
{
    if (!doc.is_object())
        return std::nullopt;
    ImageSignals s;
    s.width = int(integerField(doc, "width", 0));
    s.height = int(integerField(doc, "height", 0));
    bool ok = false;
    s.perceptualHash = stringField(doc, "phash").toULongLong(&ok, 16);
    const QByteArray fingerprint = QByteArray::fromBase64(stringField(doc, "fingerprint").toLatin1());
    const auto histogram = doc.find("colour_histogram");
    if (!ok || fingerprint.size() != int(s.fingerprint.size()) || histogram == doc.end() || !histogram->is_array()
        || histogram->size() != s.colourHistogram.size())
        return std::nullopt;
    // The detail hash tells an exact copy from a similar shot: without it the photo stays ungrouped
    // rather than look like a copy of everything (an all-zero hash).
    const QString detail = stringField(doc, "detail_hash");
    if (detail.size() != int(s.detailHash.size()) * 16)
        return std::nullopt;
    for (size_t w = 0; w < s.detailHash.size(); ++w) {
        s.detailHash[w] = detail.mid(int(w) * 16, 16).toULongLong(&ok, 16);
        if (!ok)
            return std::nullopt;
    }
    std::copy(fingerprint.begin(), fingerprint.end(), reinterpret_cast<char *>(s.fingerprint.data()));
    for (size_t i = 0; i < s.colourHistogram.size(); ++i) {
        if (!(*histogram)[i].is_number())
            return std::nullopt;
        s.colourHistogram[i] = (*histogram)[i].get<float>();
    }
    for (const ScalarMember &m : kScalars) {
        const auto it = doc.find(m.name);
        if (it == doc.end() || !it->is_number())
            return std::nullopt;
        s.*(m.member) = it->get<double>();
    }
    return s;
}

} // namespace

std::optional<GroupingSignals> GroupingSignalsCodec::measure(const MediaItem &item, const CancellationToken &token)
{
    if (item.kind != MediaKind::Photo || !item.ok())
        return std::nullopt;
    auto work = budgetedWork(item, MediaTask::Analysis, token);
    if (!work)
        return std::nullopt;
    auto image = quality::SignalExtractor::measureFile(item, work->token);
    if (!image)
        return std::nullopt;
    // What the desktop's grouping knows of a file, by the same rule (a downloaded file's
    // modification time is the download's: only the file's own clock counts).
    const quality::GroupCandidate c = quality::groupCandidate(item, work->metadata ? &*work->metadata : nullptr, &*image, {});
    GroupingSignals grouping;
    grouping.capturedAt = c.looks.capturedAt;
    grouping.subsecondTime = c.subsecondTime;
    grouping.originalPixels = c.looks.originalPixels;
    grouping.isHeif = c.looks.isHeif;
    grouping.isRaw = c.isRaw;
    grouping.camera = c.camera;
    grouping.burstId = c.burstId;
    grouping.metadataFields = c.metadataFields;
    grouping.image = std::move(image).value();
    return grouping;
}

json GroupingSignalsCodec::toJson(const GroupingSignals &grouping)
{
    return {{"image", grouping.image ? imageJson(*grouping.image) : json()},
            {"captured_at", grouping.capturedAt ? json(grouping.capturedAt->toString(Qt::ISODateWithMs).toStdString()) : json()},
            {"subsecond_time", grouping.subsecondTime},
            {"original_pixels", grouping.originalPixels},
            {"heif", grouping.isHeif},
            {"raw", grouping.isRaw},
            {"camera", grouping.camera.toStdString()},
            {"burst_id", grouping.burstId.toStdString()},
            {"metadata_fields", grouping.metadataFields}};
}

std::optional<GroupingSignals> GroupingSignalsCodec::fromJson(const json &doc)
{
    if (!doc.is_object())
        return std::nullopt;
    GroupingSignals grouping;
    if (const auto image = doc.find("image"); image != doc.end() && !image->is_null()) {
        grouping.image = imageFromJson(*image);
        if (!grouping.image)
            return std::nullopt;
    }
    if (const QString at = stringField(doc, "captured_at"); !at.isEmpty()) {
        const QDateTime parsed = QDateTime::fromString(at, Qt::ISODateWithMs);
        if (parsed.isValid())
            grouping.capturedAt = parsed;
    }
    auto flag = [&doc](const char *name) {
        const auto it = doc.find(name);
        return it != doc.end() && it->is_boolean() && it->get<bool>();
    };
    grouping.subsecondTime = flag("subsecond_time");
    grouping.originalPixels = integerField(doc, "original_pixels", 0);
    grouping.isHeif = flag("heif");
    grouping.isRaw = flag("raw");
    grouping.camera = stringField(doc, "camera");
    grouping.burstId = stringField(doc, "burst_id");
    grouping.metadataFields = int(integerField(doc, "metadata_fields", 0));
    return grouping;
}

void GroupingSignalsCodec::applyGroups(std::vector<JobEntry> &entries)
{
    // The core's grouper over the whole prefix, so a shard border never splits a group and every
    // kind (exact, edited, burst, similar) comes out as on the desktop.
    std::vector<quality::GroupCandidate> candidates;
    std::vector<size_t> indexOf;
    for (size_t i = 0; i < entries.size(); ++i) {
        JobEntry &e = entries[i];
        e.result.setGroup(std::nullopt);
        if (e.result.verdict == VerdictKind::Error)
            continue;
        quality::GroupCandidate c;
        c.looks.path = e.key;
        c.contentHash = e.result.contentHash;
        if (const auto &g = e.grouping) {
            c.looks.imageSignals = g->image ? &*g->image : nullptr;
            c.looks.capturedAt = g->capturedAt;
            c.looks.originalPixels = g->originalPixels;
            c.looks.isHeif = g->isHeif;
            c.subsecondTime = g->subsecondTime;
            c.isRaw = g->isRaw;
            c.camera = g->camera;
            c.burstId = g->burstId;
            c.metadataFields = g->metadataFields;
        }
        candidates.push_back(std::move(c));
        indexOf.push_back(i);
    }
    const auto groups = quality::MediaGrouper::itemGroups(quality::MediaGrouper().group(candidates), candidates);
    for (size_t c = 0; c < groups.size(); ++c)
        entries[indexOf[c]].result.setGroup(groups[c]);
    // Then the core's one verdict rule for groups, as after any run: copies of bytes a shard border
    // kept apart (judged twice, each as a keeper) end as one run would leave them.
    std::vector<TriageItemResult> results;
    results.reserve(entries.size());
    for (const JobEntry &e : entries)
        results.push_back(e.result);
    Prefilter::discardExactCopies(results);
    for (size_t i = 0; i < entries.size(); ++i)
        entries[i].result = std::move(results[i]);
}

} // namespace mt::lambda
