#pragma once

#include "common/Result.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace mt {

struct MetadataRow {
    QString label;
    QString value;
    QString link; // optional URL the UI may offer to open (the map for a location)
};

struct MetadataGroup {
    QString title;
    QList<MetadataRow> rows;
};

// Turns metadata into the two forms people and models read: a compact text block per item for
// the Gemini prompt (English, stable wording, never translated) and grouped, translated rows for
// the metadata pane.
class MetadataFormatter {
    Q_DECLARE_TR_FUNCTIONS(MetadataFormatter)
public:
    struct PromptOptions {
        bool includeLocation = false; // location leaves the machine only when the person opts in
    };

    // Starts with "<number>. <file name>" so the model can refer to items unambiguously.
    static QString promptBlock(int number, const MediaItem &item, const MediaMetadata &md, PromptOptions options);

    // "Motion Photo, 0:03 video inside the file", or why its video cannot be used.
    static QString motionText(const MotionPart &motion);
    static QList<MetadataGroup> paneGroups(const MediaItem &item, const Result<MediaMetadata> &md);

    static QString formatBytes(qint64 bytes);
    static QString formatDuration(double seconds);
};

} // namespace mt
