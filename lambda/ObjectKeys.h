#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QString>

namespace mt::lambda {

// How S3 keys map to our artifacts and to local files. Every key comes from a bucket anyone with
// upload rights can write to, so a key is never trusted as a path.
class ObjectKeys {
    Q_DECLARE_TR_FUNCTIONS(ObjectKeys)
public:
    static constexpr int kMaxKeyBytes = 1024;  // S3's own limit; longer is not a key we made
    static constexpr int kMaxSegmentBytes = 255; // NAME_MAX of the local file system

    // `P_triage/`: where a triage of prefix P keeps results.json, job.json and thumbs/.
    static QString triageFolder(const QString &prefix) { return prefix + QStringLiteral("_triage/"); }
    static QString resultsKey(const QString &prefix) { return triageFolder(prefix) + QStringLiteral("results.json"); }
    static QString jobKey(const QString &prefix) { return triageFolder(prefix) + QStringLiteral("job.json"); }
    // `P_triage/thumbs/<key below P>.jpg` (the original extension stays, so a.jpg and a.heic differ).
    static QString thumbnailKey(const QString &prefix, const QString &key);

    // Where an S3 upload notification leaves its preparation: `<dir>/_triage/prepared/<name>/`.
    static QString preparedFolder(const QString &key);

    // True for our own output: keys under `P_triage/` or with any `_triage` segment. Listing and
    // notifications skip them (no recursion, no triage of thumbnails).
    static bool isTriageArtifact(const QString &key, const QString &prefix = {});

    // The key as a relative path that stays inside a work folder, or an error saying why the key
    // is refused: absolute, `.`/`..`/empty segments, control characters, over-long key or segment.
    static Result<QString> localRelativePath(const QString &key);
};

} // namespace mt::lambda
