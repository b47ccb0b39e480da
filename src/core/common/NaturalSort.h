#pragma once

#include <QStringView>

namespace mt {

// Orders file names the way people count: "IMG_2" before "IMG_10", case-insensitively, with
// the exact string as the final tie-break so the order is total and stable.
int naturalCompare(QStringView a, QStringView b);
inline bool naturalLess(QStringView a, QStringView b) { return naturalCompare(a, b) < 0; }

} // namespace mt
