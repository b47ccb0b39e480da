#pragma once

#include "common/Result.h"
#include "metadata/MediaMetadata.h"
#include "quality/GroupKind.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace mt {

enum class VerdictKind { Keep, Discard, Error };
enum class VerdictSource { Gemini, Prefilter, Cache, Local };

inline QString verdictName(VerdictKind v)
{
    switch (v) {
    case VerdictKind::Keep: return QStringLiteral("keep");
    case VerdictKind::Discard: return QStringLiteral("discard");
    case VerdictKind::Error: return QStringLiteral("error");
    }
    return {};
}

inline QString sourceName(VerdictSource s)
{
    switch (s) {
    case VerdictSource::Gemini: return QStringLiteral("gemini");
    case VerdictSource::Prefilter: return QStringLiteral("prefilter");
    case VerdictSource::Cache: return QStringLiteral("cache");
    case VerdictSource::Local: return QStringLiteral("local");
    }
    return {};
}

// The outcome for one file of a run.
struct TriageItemResult {
    QString path;
    VerdictKind verdict = VerdictKind::Error;
    QString reason;
    VerdictSource source = VerdictSource::Prefilter;
    // Set when verdict is Error. The code lets fronts tell a cancellation or a time-out from a
    // damaged file without comparing translated text.
    std::optional<Error> error;
    QString contentHash;  // of the file as it was judged; trash refuses files that changed since
    QString modelVersion; // what actually answered (models are re-routed silently)
    QString livePhotoOf;  // a Live Photo motion clip: the still whose verdict it shares
    QString identicalTo;  // a byte-identical copy: the item whose verdict it shares
    int duplicateGroup = -1; // near-duplicate group (a burst, repeated shots); -1 for none
    bool bestInGroup = false;
    QString similarTo;       // the group's suggested keeper, when this item is not it
    // The item's group with its kind (exact, edited, burst, similar); duplicateGroup, bestInGroup
    // and similarTo above mirror it for readers of the older fields.
    std::optional<ItemGroup> group;
    // A still that moves: its Live Photo clip, or the video a Motion Photo carries inside.
    std::optional<MotionPart> motion;

    QString errorMessage() const { return error ? error->message : QString(); }
    // Sets the group and the older fields that mirror it.
    void setGroup(const std::optional<ItemGroup> &g)
    {
        group = g;
        duplicateGroup = -1;
        bestInGroup = false;
        similarTo.clear();
        if (!g)
            return;
        duplicateGroup = g->id;
        bestInGroup = g->best;
        if (!g->best)
            similarTo = g->keeperPath;
    }
    // The item whose verdict this one shares, if any.
    QString followsPath() const { return !livePhotoOf.isEmpty() ? livePhotoOf : identicalTo; }
};

inline TriageItemResult errorResult(const QString &path, VerdictSource source, Error error, QString contentHash = {})
{
    TriageItemResult r;
    r.path = path;
    r.source = source;
    r.error = std::move(error);
    r.contentHash = std::move(contentHash);
    return r;
}

} // namespace mt
