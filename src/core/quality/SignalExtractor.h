#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"
#include "quality/ImageSignals.h"

#include <QImage>

namespace mt::quality {

// Measures exposure, sharpness, content and hashes on one picture. Pure and thread-safe.
class SignalExtractor {
public:
    // Longest edge of the decode every signal is measured on. 480 because a 4032-px JPEG then
    // decodes at libjpeg's 1/8 DCT scale (504 px) and only needs a small final resample: the
    // 1/4 scale that 512 px would need costs about 3× the decode time, for no better verdicts.
    static constexpr int kAnalysisEdge = 480;

    // An image already in memory; scaled down to kAnalysisEdge first when larger.
    static ImageSignals measure(const QImage &image);

    // Decodes the photo upright at the analysis size (ThumbnailGenerator: DCT-domain JPEG
    // scaling, HEIC thumbnails) and measures it.
    static Result<ImageSignals> measureFile(const MediaItem &item, const CancellationToken &token = {});
};

} // namespace mt::quality
