#include "metadata/MetadataReader.h"

#include "metadata/ImageMetadataReader.h"
#include "metadata/VideoMetadataReader.h"

namespace mt {

Result<MediaMetadata> readMetadata(const MediaItem &item)
{
    if (item.error)
        return makeError(Error::Code::Corrupt, *item.error);
    auto result = item.kind == MediaKind::Photo ? ImageMetadataReader::read(item) : VideoMetadataReader::read(item);
    if (result && !result->capturedAt && item.modified.isValid()) {
        CaptureTime fallback;
        fallback.dateTime = item.modified.toOffsetFromUtc(item.modified.offsetFromUtc());
        fallback.source = CaptureTime::Source::FileTime;
        fallback.zoneKnown = true;
        result->capturedAt = fallback;
    }
    return result;
}

} // namespace mt
