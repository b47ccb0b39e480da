#pragma once

#include "quality/LumaPlane.h"

#include <QtGlobal>

#include <array>
#include <bit>

namespace mt::quality {

// 64-bit DCT hash: the 8×8 lowest frequencies of a 32×32 brightness thumbnail, one bit per
// coefficient above their median. Survives rescaling, recompression and small exposure changes.
quint64 perceptualHash(const LumaPlane &luma);

inline int hammingDistance(quint64 a, quint64 b) { return std::popcount(a ^ b); }

// 256-bit DCT hash: the 16×16 lowest frequencies of a 64×64 brightness thumbnail. Fine enough
// that a re-encoded or resized copy stays within a few bits while a burst frame (a few pixels of
// reframing, fresh sensor noise) moves many: what tells an exact copy from a similar shot.
using DetailHash = std::array<quint64, 4>;
DetailHash detailHash(const LumaPlane &luma);

inline int hammingDistance(const DetailHash &a, const DetailHash &b)
{
    int bits = 0;
    for (size_t i = 0; i < a.size(); ++i)
        bits += std::popcount(a[i] ^ b[i]);
    return bits;
}

} // namespace mt::quality
