// parseIso6709 gets the location tag of any video, e.g. com.apple.quicktime.location.ISO6709.
#include "FuzzSupport.h"
#include "metadata/Iso6709.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto pos = mt::parseIso6709(text)) {
        // What it promises: a finite point on the globe.
        if (!(std::abs(pos->latitude) <= 90) || !(std::abs(pos->longitude) <= 180))
            abort();
        if (pos->altitude && !std::isfinite(*pos->altitude))
            abort();
    }
    return 0;
}
