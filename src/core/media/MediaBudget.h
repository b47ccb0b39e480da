#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"

#include <chrono>

namespace mt {

struct MediaMetadata;

// The kinds of media work that get a time budget of their own.
enum class MediaTask {
    Probe,     // reading headers and metadata
    Thumbnail, // one picture: a decode at reduced size, or a few video frames
    Analysis,  // the offline quality signals: one picture, or frames sampled across a clip
    Transcode, // compressing a whole clip for Gemini
};

// What a file says it is before anything is decoded: the budget is derived from it.
struct MediaClaim {
    MediaKind kind = MediaKind::Photo;
    qint64 bytes = 0;
    qint64 pixels = 0;          // of the picture or of one frame; 0 when unknown
    double durationSeconds = 0; // videos; 0 when unknown

    // From the scan alone (kind, size), or with what the headers said.
    static MediaClaim of(const MediaItem &item, const MediaMetadata *metadata = nullptr);
};

// How long one file's media work may take before it counts as hung: a hang guard, not a speed
// limit. The floors are generous (a slow, loaded 2-core machine finishes healthy 100 MP
// panoramas and 4K HEVC minutes well inside them); the claim only adds time, and a claim the
// file's size cannot back (an hour of video in a few kilobytes) is not believed.
class MediaBudget {
public:
    // Multiplies every budget: above 1 for slow machines, tiny in tests that need a budget to expire.
    static constexpr const char *kScaleVariable = "MT_MEDIA_BUDGET_SCALE";

    explicit MediaBudget(double scale = scaleFromEnvironment()) : m_scale(scale > 0 ? scale : 1.0) {}

    std::chrono::milliseconds forTask(MediaTask task, const MediaClaim &claim) const;

    // A token for one item's `task`: stopped by `token` as before, and by the budget, which starts now.
    CancellationToken limit(const CancellationToken &token, MediaTask task, const MediaClaim &claim) const
    {
        return token.withTimeout(forTask(task, claim));
    }

    double scale() const { return m_scale; }
    // kScaleVariable as a positive number; 1 when unset or not one.
    static double scaleFromEnvironment();

private:
    double m_scale;
};

// The error for work a token stopped: "cancelled", the item's own budget running out (the file
// is the likely cause), or a deadline of the whole run (it is not).
Error interruptedError(const CancellationToken &token);

} // namespace mt
