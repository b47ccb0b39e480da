#pragma once

#include <QByteArrayView>
#include <QSize>

#include <optional>

namespace mt {

// Reads the displayed size of a HEIF file's primary image straight from its boxes
// (pitm → ipma → ispe, irot), without decoding anything. libheif refuses files whose item data
// is cut off; their headers are usually intact, so this still tells the person what the file was.
std::optional<QSize> probeHeifPrimarySize(QByteArrayView file);

} // namespace mt
