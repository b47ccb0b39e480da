#include "metadata/MetadataReader.h"

#include "metadata/ImageMetadataReader.h"
#include "metadata/MotionPhotoReader.h"
#include "metadata/VideoMetadataReader.h"

namespace mt {

Result<MediaMetadata> readMetadata(const MediaItem &item, const CancellationToken &token)
{
    if (item.error)
        return makeError(Error::Code::Corrupt, *item.error);
    // Only libavformat polls the token; Exiv2 and libheif read headers without a way to stop.
    const CancellationToken probe = MediaBudget().limit(token, MediaTask::Probe, MediaClaim::of(item));
    auto result = item.kind == MediaKind::Photo ? ImageMetadataReader::read(item) : VideoMetadataReader::read(item, probe);
    if (!result && probe.isCancelled())
        return interruptedError(probe);
    if (result && MotionPhotoReader::mayHaveMotion(item))
        result->motion = MotionPhotoReader::read(item);
    if (result && !result->capturedAt && item.modified.isValid()) {
        CaptureTime fallback;
        fallback.dateTime = item.modified.toOffsetFromUtc(item.modified.offsetFromUtc());
        fallback.source = CaptureTime::Source::FileTime;
        fallback.zoneKnown = true;
        result->capturedAt = fallback;
    }
    return result;
}

Result<BudgetedWork> budgetedWork(const MediaItem &item, MediaTask task, const CancellationToken &token)
{
    auto metadata = readMetadata(item, token);
    if (!metadata && (metadata.error().code == Error::Code::Timeout || metadata.error().code == Error::Code::Cancelled))
        return metadata.error();
    const MediaClaim claim = MediaClaim::of(item, metadata ? &*metadata : nullptr);
    return BudgetedWork{std::move(metadata), MediaBudget().limit(token, task, claim)};
}

} // namespace mt
