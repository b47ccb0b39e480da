#pragma once

#include "ServerThread.h"

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

class QHttpServer;

namespace mt::fakes {

// One run of the function: a fresh `bootstrap` process against its own Runtime API fake.
struct LambdaRun {
    enum class Outcome { Response, Error, Killed, TimedOut, Crashed };
    QByteArray requestId; // the same for Lambda's retries of one event
    QByteArray event;
    int attempt = 0;      // 0 for the first delivery, 1..2 for Lambda's retries
    Outcome outcome = Outcome::Response;
    QByteArray answer;    // the response or error body
    qint64 startMs = 0;
    qint64 endMs = 0;
    QStringList leftInTmp; // what an answered invocation left in its TMPDIR
};

// Scripted trouble for invocations whose event contains `match`.
struct LambdaFault {
    QByteArray match;
    int killAfterMs = 0; // the process is killed (SIGKILL) this long after it got the event
    int times = 1;       // how many matching runs it hits; -1 for all of them
};

// A local stand-in for the Lambda service, enough for the fan-out: the Invoke API
// (POST /2015-03-31/functions/<name>/invocations with InvocationType Event, for
// AWS_ENDPOINT_URL_LAMBDA) and asynchronous execution as Lambda does it: every invocation runs
// as a real `bootstrap` process (a fresh TMPDIR, its own FakeRuntimeApi, the event's deadline),
// at most `concurrency` at a time (reserved concurrency: the rest wait in the queue); an
// invocation that answers with an error, crashes or times out is retried twice with the same
// request id, and after the last attempt Lambda's invocation record goes to the on-failure
// destination, here an SQS queue whose messages invoke the same function.
class FakeLambdaService {
public:
    struct Options {
        QString bootstrap;               // path of the program
        QProcessEnvironment environment; // the function's environment (AWS endpoints, keys, MT_*)
        int concurrency = 4;
        int timeoutMs = 60000;           // the function's timeout
        int retryDelayMs = 100;          // Lambda waits 1 and 2 minutes; tests need not
        bool onFailureQueue = true;
        QString logDirectory;            // when set, each run's stderr is kept there (benchmarks, debugging)
    };

    explicit FakeLambdaService(Options options);
    ~FakeLambdaService();

    bool start();
    QUrl endpoint() const; // for AWS_ENDPOINT_URL_LAMBDA

    // What an Invoke with InvocationType Event does.
    void invokeAsync(const QByteArray &event);
    void addFault(const LambdaFault &fault);
    // The next successful run whose event contains `match` is delivered once more afterwards
    // (Lambda delivers asynchronous events at least once).
    void redeliverOnce(const QByteArray &match);
    // The next `times` Invoke calls whose event contains `match` are refused as Lambda does when
    // it cannot take them (503 ServiceException); the caller's own retries count.
    void refuseInvokes(const QByteArray &match, int times);
    // A different function timeout for events that contain every one of `matches`.
    void setTimeoutFor(const QList<QByteArray> &matches, int timeoutMs);
    // Drops the faults not used up yet (a crash that was fixed).
    void clearFaults();

    // Nothing queued, running or waiting for a retry; false on timeout.
    bool waitUntilIdle(int timeoutMs);
    QList<LambdaRun> runs() const;
    int maxConcurrent() const;
    int invokeCalls() const;
    int refusedInvokes() const;

private:
    struct Pending {
        QByteArray requestId;
        QByteArray event;
        int attempt = 0;
        qint64 notBeforeMs = 0;
    };
    void installRoutes(QHttpServer &server);
    void enqueue(Pending pending);
    void schedule();
    void execute(Pending pending);
    LambdaRun runProcess(const Pending &pending, int killAfterMs, int timeoutMs);
    void settle(const Pending &pending, const LambdaRun &run);
    int faultFor(const QByteArray &event);
    bool takeRefusal(const QByteArray &event);
    int timeoutFor(const QByteArray &event) const;

    Options m_options;
    ServerThread m_serverThread{QStringLiteral("fake-lambda")};
    std::thread m_scheduler;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Pending> m_queue;
    std::vector<std::thread> m_workers;
    QList<LambdaRun> m_runs;
    QList<LambdaFault> m_faults;
    QList<QByteArray> m_redeliver;
    QList<QPair<QByteArray, int>> m_refusals;
    QList<QPair<QList<QByteArray>, int>> m_timeouts;
    int m_running = 0;
    int m_maxRunning = 0;
    int m_invokeCalls = 0;
    int m_refusedInvokes = 0;
    int m_serial = 0;
    bool m_stopping = false;
};

} // namespace mt::fakes
