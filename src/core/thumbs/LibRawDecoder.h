#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QString>
#include <QImage>

namespace mt {

// A real RAW decode with LibRaw, for RAW files whose embedded preview is missing, too small or
// damaged. Half-size decoding (one pixel per Bayer quad) is used whenever it still covers the
// requested size, which quarters the time and memory. The result is upright (LibRaw applies the
// file's orientation) and at most `maxEdge` on its longest side.
class LibRawDecoder {
public:
    // Reads the file itself (through QFile, never mapped: see LibRawFileStream).
    Result<QImage> decode(const QString &path, int maxEdge, const CancellationToken &token) const;
};

} // namespace mt
