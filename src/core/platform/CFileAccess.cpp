#include "platform/CFileAccess.h"

#include <atomic>

namespace mt {

namespace {
// -1: the platform's choice. Set only by ScopedCFileAccess.
std::atomic<int> g_forced{-1};
} // namespace

CFileAccess cFileAccess()
{
    const int forced = g_forced.load(std::memory_order_relaxed);
    return forced < 0 ? platformCFileAccess() : CFileAccess(forced);
}

ScopedCFileAccess::ScopedCFileAccess(CFileAccess access) : m_previous(g_forced.exchange(int(access))) {}

ScopedCFileAccess::~ScopedCFileAccess() { g_forced.store(m_previous); }

} // namespace mt
