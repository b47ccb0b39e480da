#pragma once

#include "metadata/MediaMetadata.h"

#include <QStringView>

#include <optional>

namespace mt {

// Parses an ISO 6709 point as QuickTime/MP4 files store it ("+37.7858-122.4064+012.345/",
// "+33.9951-118.4762/", also the DDMM.MM and DDMMSS.S forms). Nothing for malformed or
// out-of-range input.
std::optional<GpsPosition> parseIso6709(QStringView text);

} // namespace mt
