#pragma once

#include "common/Result.h"

#include <QString>

namespace mt {

// SHA-256 of a file's bytes as lower-case hex, read in blocks (never the whole file in memory).
// The identity of a file for the verdict store, duplicate detection and the trash check.
Result<QString> contentHash(const QString &path);

} // namespace mt
