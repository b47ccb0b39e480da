#include "media/MediaBudget.h"

#include "metadata/MediaMetadata.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace mt {

namespace {

// Seconds a task may take, per unit of what the file claims. The rates assume software decoding
// on a slow, busy 2-core machine (4K HEVC at a few frames a second) and then leave room again.
struct Rates {
    double floor;               // seconds, whatever the claim
    double perMegapixel;        // per MP of the picture or frame
    double perVideoSecond;      // per second of claimed duration
    double perVideoSecondPerMp; // per second of claimed duration and MP of frame
    double perGigabyte;         // per GB of file
};

// [task][kind], kind 0 photo, 1 video. Video thumbnails decode a frame or two after a seek;
// analysis decodes forward from a key frame at 8 positions; a transcode decodes everything.
constexpr Rates kRates[4][2] = {
    /* Probe     */ {{15, 0, 0, 0, 10}, {15, 0, 0, 0, 10}},
    /* Thumbnail */ {{15, 0.5, 0, 0, 0}, {20, 4, 0, 0, 0}},
    /* Analysis  */ {{20, 0.6, 0, 0, 0}, {30, 15, 0, 0, 0}},
    /* Transcode */ {{20, 0.6, 0, 0, 0}, {60, 0, 1.5, 0.8, 50}},
};

// What a claim is allowed to add: a photo larger than any camera's, a frame beyond 8K, a
// duration the bytes cannot hold (below 32 kbit/s) only buy a hostile file more time.
constexpr double kUnknownPhotoMp = 24;
constexpr double kMaxPhotoMp = 250;
constexpr double kUnknownFrameMp = 3840.0 * 2160 / 1e6;
constexpr double kMaxFrameMp = 36;
constexpr double kMinVideoBytesPerSecond = 4000;
constexpr double kMaxVideoSeconds = 6 * 3600;

double believedMegapixels(const MediaClaim &claim)
{
    const bool video = claim.kind == MediaKind::Video;
    if (claim.pixels <= 0)
        return video ? kUnknownFrameMp : kUnknownPhotoMp;
    return std::min(double(claim.pixels) / 1e6, video ? kMaxFrameMp : kMaxPhotoMp);
}

double believedSeconds(const MediaClaim &claim)
{
    if (claim.kind != MediaKind::Video || !(claim.durationSeconds > 0))
        return 0;
    const double backedByBytes = double(std::max<qint64>(0, claim.bytes)) / kMinVideoBytesPerSecond;
    return std::min({claim.durationSeconds, backedByBytes, kMaxVideoSeconds});
}

} // namespace

MediaClaim MediaClaim::of(const MediaItem &item, const MediaMetadata *metadata)
{
    MediaClaim claim;
    claim.kind = item.kind;
    claim.bytes = item.sizeBytes;
    if (metadata) {
        if (metadata->width && metadata->height && *metadata->width > 0 && *metadata->height > 0)
            claim.pixels = qint64(*metadata->width) * *metadata->height;
        if (metadata->durationSeconds)
            claim.durationSeconds = *metadata->durationSeconds;
    }
    return claim;
}

std::chrono::milliseconds MediaBudget::forTask(MediaTask task, const MediaClaim &claim) const
{
    const Rates &r = kRates[int(task)][claim.kind == MediaKind::Video ? 1 : 0];
    const double mp = believedMegapixels(claim);
    const double seconds = believedSeconds(claim);
    const double gigabytes = double(std::max<qint64>(0, claim.bytes)) / 1e9;
    const double budget = r.floor + r.perMegapixel * mp + seconds * (r.perVideoSecond + r.perVideoSecondPerMp * mp)
        + r.perGigabyte * gigabytes;
    return std::chrono::milliseconds(std::llround(budget * 1000 * m_scale));
}

double MediaBudget::scaleFromEnvironment()
{
    bool ok = false;
    const double scale = qEnvironmentVariable(kScaleVariable).toDouble(&ok);
    return ok && std::isfinite(scale) && scale > 0 ? scale : 1.0;
}

Error interruptedError(const CancellationToken &token)
{
    switch (token.stopReason()) {
    case CancellationToken::StopReason::TimedOut:
        return makeError(Error::Code::Timeout,
                         QCoreApplication::translate("MediaBudget", "took too long to decode — the file may be damaged"));
    case CancellationToken::StopReason::ParentTimedOut:
        return makeError(Error::Code::Timeout,
                         QCoreApplication::translate("MediaBudget", "the time limit ran out before this file was finished"));
    case CancellationToken::StopReason::Cancelled:
    case CancellationToken::StopReason::None:
        break;
    }
    return makeError(Error::Code::Cancelled, QCoreApplication::translate("MediaBudget", "cancelled"));
}

} // namespace mt
