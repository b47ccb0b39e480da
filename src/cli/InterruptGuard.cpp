#include "cli/InterruptGuard.h"

#include <QFile>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace mt::cli {

namespace {

// What the handler may touch: lock-free atomics only (async-signal-safe). The watcher thread
// does the rest.
std::atomic<int> g_signal{0};
std::atomic<int> g_signalCount{0};
static_assert(std::atomic<int>::is_always_lock_free);

using Handler = void (*)(int);
Handler g_previousInt = SIG_DFL;
Handler g_previousTerm = SIG_DFL;

extern "C" void onSignal(int signal)
{
    g_signal.store(signal);
    g_signalCount.fetch_add(1);
    // Some platforms reset the handler to the default after delivery; keep catching.
    std::signal(signal, onSignal);
}

int exitCodeFor(int signal)
{
    // 128 + the signal number, as a shell reports a process killed by it (SIGINT is 2 and
    // SIGTERM 15 in Windows' C runtime too).
    return signal == SIGTERM ? 143 : 130;
}

constexpr std::chrono::milliseconds kPollInterval{20};

} // namespace

InterruptGuard::InterruptGuard(CancellationToken token, std::chrono::milliseconds grace)
    : m_token(std::move(token)), m_grace(grace)
{
    g_signal.store(0);
    g_signalCount.store(0);
    g_previousInt = std::signal(SIGINT, onSignal);
    g_previousTerm = std::signal(SIGTERM, onSignal);
    m_watcher = std::thread([this] { watch(); });
}

InterruptGuard::~InterruptGuard()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_watcher.join();
    std::signal(SIGINT, g_previousInt == SIG_ERR ? SIG_DFL : g_previousInt);
    std::signal(SIGTERM, g_previousTerm == SIG_ERR ? SIG_DFL : g_previousTerm);
}

void InterruptGuard::addPartialOutput(const QString &path)
{
    std::lock_guard lock(m_mutex);
    m_partialOutputs.append(path);
}

void InterruptGuard::removePartialOutput(const QString &path)
{
    std::lock_guard lock(m_mutex);
    m_partialOutputs.removeAll(path);
}

bool InterruptGuard::interrupted() const
{
    return g_signal.load() != 0;
}

int InterruptGuard::exitCode() const
{
    const int signal = g_signal.load();
    return signal == 0 ? 0 : exitCodeFor(signal);
}

void InterruptGuard::watch()
{
    // A signal handler cannot wake a condition variable safely, so the watcher polls the flag;
    // 20 ms is unnoticeable to a person and costs nothing.
    std::unique_lock lock(m_mutex);
    std::chrono::steady_clock::time_point deadline{};
    while (!m_stopping) {
        m_wake.wait_for(lock, kPollInterval);
        if (m_stopping || g_signal.load() == 0)
            continue;
        const auto now = std::chrono::steady_clock::now();
        if (deadline == std::chrono::steady_clock::time_point{}) {
            deadline = now + m_grace;
            m_token.cancel();
            std::fputs(qUtf8Printable(tr("Interrupted; stopping (interrupt again to quit at once).") + u'\n'), stderr);
            std::fflush(stderr);
        }
        if (now >= deadline || g_signalCount.load() > 1)
            forceExit(exitCodeFor(g_signal.load()));
    }
}

void InterruptGuard::forceExit(int code)
{
    // Called with m_mutex held, so the list cannot change underneath.
    for (const QString &path : std::as_const(m_partialOutputs))
        QFile::remove(path);
    std::fflush(stdout);
    std::fflush(stderr);
    // Not exit(): static destructors would run while the stuck work still uses what they free.
    std::_Exit(code);
}

} // namespace mt::cli
