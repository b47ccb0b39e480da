#include "video/CompressionProfile.h"

namespace mt {

int CompressionProfile::presetForDuration(double seconds) const
{
    if (preset >= 0)
        return preset;
    // PRESET_TABLE (filled in from measurements, see the comment block below).
    if (seconds <= 10 * 60)
        return 6;
    if (seconds <= 60 * 60)
        return 8;
    return 10;
}

} // namespace mt
