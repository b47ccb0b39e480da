#pragma once

#include <QByteArrayView>

#include <optional>
#include <vector>

namespace mt {

// ISO base media (HEIF, CR3) boxes, read from bytes in memory without trusting them: every size
// is checked against what holds it, and a walk is linear in the bytes it is given.
struct IsoBox {
    QByteArrayView type;
    QByteArrayView payload; // after the header
};

// Splits a run of sibling boxes; stops at the first malformed header (a size smaller than its
// header or larger than what is left), so a damaged box hides only itself and what follows it.
std::vector<IsoBox> isoBoxChildren(QByteArrayView data);

std::optional<IsoBox> findIsoBox(const std::vector<IsoBox> &boxes, const char *type);

} // namespace mt
