#pragma once

#include <QDateTime>
#include <QString>

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
    QString error;        // set when verdict is Error
    QString contentHash;  // of the file as it was judged; trash refuses files that changed since
    QString modelVersion; // what actually answered (models are re-routed silently)
    QString followsPath;  // Live Photo clip or exact duplicate: the item whose verdict it shares
};

} // namespace mt
