#pragma once

#include "common/Cancellation.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mt::cli {

// Turns Ctrl-C (SIGINT) and SIGTERM into cancellation of a CancellationToken while it lives.
// Work that honours the token stops and the command returns exitCode(). Work that does not stop
// within the grace period (a library call stuck on a damaged file) is not waited for: the guard
// removes the registered partial outputs and ends the process with 130 (SIGINT) or 143 (SIGTERM),
// the codes a shell reports for a process killed by those signals. A second signal ends it at once.
//
//     CancellationToken token;
//     InterruptGuard guard(token);
//     guard.addPartialOutput(VideoCompressor::partialOutputPath(out)); // removed if the process is forced out
//     ... long work that polls token ...
//     if (guard.interrupted())
//         return guard.exitCode();
//
// One guard at a time per process (signal handlers are process-wide); destroying it restores the
// previous handlers. Portable: std::signal and a watcher thread, nothing POSIX-only.
class InterruptGuard {
    Q_DECLARE_TR_FUNCTIONS(InterruptGuard)
public:
    // Cancel first, give the work this long to stop, then exit; "within 2 s" overall.
    static constexpr std::chrono::milliseconds kDefaultGrace{1500};

    explicit InterruptGuard(CancellationToken token, std::chrono::milliseconds grace = kDefaultGrace);
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

    // A file the work may leave half-written; removed before a forced exit.
    void addPartialOutput(const QString &path);
    void removePartialOutput(const QString &path);

    // Whether SIGINT or SIGTERM arrived while the guard was active.
    bool interrupted() const;
    // 130 after SIGINT, 143 after SIGTERM, 0 when no signal arrived.
    int exitCode() const;

private:
    void watch();
    [[noreturn]] void forceExit(int code);

    CancellationToken m_token;
    const std::chrono::milliseconds m_grace;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    QStringList m_partialOutputs;
    bool m_stopping = false;
    std::thread m_watcher;
};

} // namespace mt::cli
