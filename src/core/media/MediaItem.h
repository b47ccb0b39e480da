#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace mt {

enum class MediaKind { Photo, Video };

// One file the scanner found. `kind` and `mime` come from the file's content when it could be
// read (so a misnamed file is still what it is), else from its extension; `error` says why the
// file cannot be used.
struct MediaItem {
    QString path;       // absolute
    QString fileName;
    MediaKind kind = MediaKind::Photo;
    QString mime;
    qint64 sizeBytes = 0;
    QDateTime modified;
    std::optional<QString> error;
    // Files of the same shot that ride along with this one: the RAW next to a JPEG of the same
    // base name. Judged once (through this item), shown once, trashed and restored together.
    QStringList companions;

    bool ok() const { return !error.has_value(); }
};

inline QString kindName(MediaKind kind) { return kind == MediaKind::Photo ? QStringLiteral("photo") : QStringLiteral("video"); }

} // namespace mt

Q_DECLARE_METATYPE(mt::MediaItem)
