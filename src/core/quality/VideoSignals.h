#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "quality/ImageSignals.h"

#include <QString>

#include <vector>

namespace mt::quality {

// Signals of a clip: the photo signals on frames spread over it, and how many of them are black,
// flat or blurred.
struct VideoSignals {
    double durationSeconds = 0;
    std::vector<double> frameSeconds;  // where each sampled frame is
    std::vector<ImageSignals> frames;  // same order
    double blackFrameRatio = 0;
    double uniformFrameRatio = 0;      // flat frames that are not black (pocket, floor)
    double blurryFrameRatio = 0;       // frames out of focus everywhere, among those with content
    double medianSharpness = 0;        // regional sharpness, over frames with content
    double medianLuma = 0;
    double motion = 0;                 // mean brightness change between consecutive samples (0..1); ~0 = static
};

class VideoSignalExtractor {
public:
    static constexpr int kFrames = 8;

    static Result<VideoSignals> measureFile(const QString &path, const CancellationToken &token = {});
    // From frames already decoded (tests, other callers).
    static VideoSignals fromFrames(double durationSeconds, const std::vector<double> &seconds,
                                   const std::vector<ImageSignals> &frames);
};

} // namespace mt::quality
