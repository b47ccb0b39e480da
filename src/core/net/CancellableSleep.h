#pragma once

#include "common/Cancellation.h"

#include <chrono>

namespace mt::net {

// Waits `duration` on the calling thread; true when it passed, false as soon as the token is
// cancelled (or its deadline passes), within a few milliseconds. The one way retry loops wait.
bool sleepCancellable(std::chrono::milliseconds duration, const CancellationToken &token);

} // namespace mt::net
