#include "metadata/MotionPhotoReader.h"

#include "media/LivePhotoPairing.h"
#include "media/MappedFile.h"
#include "media/MotionPhoto.h"
#include "video/MemoryMediaInput.h"

namespace mt {

bool MotionPhotoReader::mayHaveMotion(const MediaItem &item)
{
    return item.ok() && item.kind == MediaKind::Photo
        && (item.mime == QLatin1String("image/jpeg") || item.mime == QLatin1String("image/heic")
            || item.mime == QLatin1String("image/heif"));
}

std::optional<MotionPart> MotionPhotoReader::read(const MediaItem &item)
{
    if (!mayHaveMotion(item))
        return std::nullopt;
    auto mapped = MappedFile::open(item.path);
    if (!mapped)
        return std::nullopt; // the photo's own reader reports why the file cannot be read
    const QByteArrayView file = (*mapped)->bytes();
    const auto clip = findEmbeddedClip(file);
    MotionPart part;
    part.kind = MotionPart::Kind::MotionPhoto;
    part.clipPath = item.path;
    if (!clip) {
        part.error = clip.error().message;
        return part;
    }
    if (!clip->has_value())
        return std::nullopt;
    part.clipOffset = (*clip)->offset;
    part.clipLength = (*clip)->length;
    auto duration = MemoryMediaInput::probeDurationSeconds(file.sliced(part.clipOffset, part.clipLength));
    if (duration)
        part.durationSeconds = *duration;
    else
        part.error = duration.error().message;
    return part;
}

void MotionPhotoReader::attachLiveClip(MediaMetadata &still, const MediaItem &clip, std::optional<double> clipSeconds)
{
    if (still.motion)
        return;
    MotionPart part;
    part.kind = MotionPart::Kind::LivePhoto;
    part.clipPath = clip.path;
    part.clipLength = clip.sizeBytes;
    part.durationSeconds = clipSeconds;
    still.motion = part;
}

void MotionPhotoReader::attachLiveClips(const std::vector<MediaItem> &items, QList<Result<MediaMetadata>> &metadata,
                                        double maxClipSeconds)
{
    std::vector<PairingCandidate> candidates;
    for (size_t i = 0; i < items.size(); ++i) {
        const auto &md = metadata[qsizetype(i)];
        candidates.push_back(livePhotoCandidate(items[i], md ? *md : MediaMetadata{}, items[i].ok() && md));
    }
    const std::vector<int> stillOf = LivePhotoPairing::pair(candidates, maxClipSeconds).stillOf;
    for (size_t clip = 0; clip < stillOf.size(); ++clip)
        if (stillOf[clip] >= 0 && metadata[stillOf[clip]])
            attachLiveClip(*metadata[stillOf[clip]], items[clip], metadata[qsizetype(clip)]->durationSeconds);
}

} // namespace mt
