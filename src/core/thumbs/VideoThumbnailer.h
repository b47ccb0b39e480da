#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QImage>
#include <QString>

namespace mt {

// A representative frame of a video, decoded in-process with libavformat/libavcodec: about 10%
// into the clip (the first frames are often black or a fade-in), or later positions when that
// frame is nearly black or uniform. Also decodes still formats FFmpeg knows and Qt may not
// (WebP without the Qt plugin).
class VideoThumbnailer {
public:
    Result<QImage> thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const;

    // Positions tried, as fractions of the duration, in order.
    static constexpr double kPositions[] = {0.10, 0.33, 0.55, 0.80, 0.0};

    // Nearly black or one flat colour: a poor thumbnail worth another try elsewhere in the clip.
    static bool looksEmpty(const QImage &image);
};

} // namespace mt
