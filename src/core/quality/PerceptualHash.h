#pragma once

#include "quality/LumaPlane.h"

#include <QtGlobal>

#include <bit>

namespace mt::quality {

// 64-bit DCT hash: the 8×8 lowest frequencies of a 32×32 brightness thumbnail, one bit per
// coefficient above their median. Survives rescaling, recompression and small exposure changes.
quint64 perceptualHash(const LumaPlane &luma);

inline int hammingDistance(quint64 a, quint64 b) { return std::popcount(a ^ b); }

} // namespace mt::quality
