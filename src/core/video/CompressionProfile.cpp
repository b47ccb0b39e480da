#include "video/CompressionProfile.h"

namespace mt {

int CompressionProfile::presetForDuration(double seconds) const
{
    if (preset >= 0)
        return preset;
    // Measured with this compressor (768x432 at 5 fps out, SVT-AV1 1.4.1, FFmpeg 5.1, 2 shared
    // cores under load average 6-10, so ±15 %), wall time / output size:
    //   30 s 1080p30 HEVC: P4 30.1 s / 314 KB, P5 21.5 s / 310 KB, P6 18.0 s / 316 KB,
    //                      P8 15.5 s / 362 KB, P10 14.0 s / 408 KB, P12 13.3 s / 428 KB;
    //                      decoding alone 12.7 s.
    //   10 s 4K60 H.264:   P4 20.8 s / 86 KB, P6 17.3 s / 92 KB, P8 12.4 s / 105 KB;
    //                      decoding alone 13.9 s.
    // Decoding the source dominates. P6 is the knee: P4/P5 cost 20-65 % more time for files at
    // most 6 % smaller, while P8 saves 15-30 % of the time for files ~15 % larger. Short clips
    // (almost all phone videos) get P6; up to an hour P8 keeps a 2-core Lambda well inside its
    // time limit; beyond that P10, where the encoder costs little next to decoding.
    if (seconds <= 10 * 60)
        return 6;
    if (seconds <= 60 * 60)
        return 8;
    return 10;
}

} // namespace mt
