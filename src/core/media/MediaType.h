#pragma once

#include "media/MediaItem.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <optional>

namespace mt {

struct MediaType {
    MediaKind kind;
    QString mime;
};

// What the extension promises (case-insensitive), or nothing for files we do not handle.
std::optional<MediaType> mediaTypeForExtension(const QString &fileName);

// What the first bytes of a file say it is (JPEG, PNG, GIF, WebP, HEIF/AVIF, ISO BMFF/QuickTime,
// Matroska/WebM, AVI), or nothing when the content is none of these. 32 bytes are enough.
std::optional<MediaType> sniffMediaType(QByteArrayView head);

// Camera RAW (DNG, CR2, CR3, NEF, ARW, RAF, ORF, RW2), by the MIME types this file gives them.
bool isRawMime(const QString &mime);

// The extensions the scanner picks up, lower case without dot. AVIF only when libheif decodes it.
const QStringList &supportedExtensions();

// Builds a MediaItem for one file: stat, read the head, confirm the kind by content.
// Never fails; problems end up in MediaItem::error.
MediaItem inspectFile(const QString &path);

} // namespace mt
