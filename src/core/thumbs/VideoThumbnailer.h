#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QImage>
#include <QString>

#include <vector>

namespace mt {

// A representative frame of a video, decoded in-process with libavformat/libavcodec: about 10%
// into the clip (the first frames are often black or a fade-in), or later positions when that
// frame is nearly black or uniform. Also decodes still formats FFmpeg knows and Qt may not
// (WebP without the Qt plugin).
// One frame of a sampled clip and where it was taken from.
struct VideoFrameSample {
    double seconds = 0; // presentation time from the start of the clip
    QImage image;       // upright, longest edge at most the requested size
};

struct VideoSamples {
    double durationSeconds = 0; // 0 when the file does not say
    std::vector<VideoFrameSample> frames;
};

class VideoThumbnailer {
public:
    Result<QImage> thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const;

    // `count` frames spread evenly over the clip (at the middles of equal slices), each decoded
    // up to its position rather than taken at the key frame before it, so a clip with sparse key
    // frames still shows what happens at each point. Frames that cannot be reached are left out;
    // an error only when none could be decoded. For quality analysis (black-frame ratio, blur).
    Result<VideoSamples> sampleFrames(const QString &path, int count, int maxEdge, const CancellationToken &token) const;

    // Positions tried, as fractions of the duration, in order.
    static constexpr double kPositions[] = {0.10, 0.33, 0.55, 0.80, 0.0};

    // Nearly black or one flat colour: a poor thumbnail worth another try elsewhere in the clip.
    static bool looksEmpty(const QImage &image);
};

} // namespace mt
