#pragma once

#include "HeldResponder.h"
#include "ServerThread.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QUrl>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

class QObject;
class QHttpServer;
class QHttpServerResponder;

namespace mt::fakes {

// A POST the runtime made: an invocation's response or error, an init error, or a Lambda Invoke.
struct RuntimePost {
    enum class Kind { Response, Error, InitError, Invoke };
    Kind kind = Kind::Response;
    QByteArray requestId;                    // empty for init errors; the function name for Invoke
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;   // lower-case names
    qint64 atMs = 0;                         // arrival, Unix epoch ms
    QByteArray errorType() const { return headers.value("lambda-runtime-function-error-type"); }
};

// An in-process stand-in for the Lambda Runtime API (2018-06-01), on its own thread: `next` is
// held open until an event is queued (never timed out, like the real one), answers and errors are
// recorded with their headers and arrival times. It also serves the Lambda Invoke API
// (POST /2015-03-31/functions/<name>/invocations) so a self-invocation can be observed and,
// optionally, fed back as the next event.
class FakeRuntimeApi {
public:
    FakeRuntimeApi();
    ~FakeRuntimeApi();

    bool start();
    QByteArray hostPort() const;   // for AWS_LAMBDA_RUNTIME_API
    QUrl invokeEndpoint() const;   // for AWS_ENDPOINT_URL_LAMBDA

    // Returns the request id; a deadline of 0 means 60 s from when `next` hands the event out.
    QByteArray queueEvent(const QByteArray &body, qint64 deadlineMs = 0, const QByteArray &requestId = {});
    // The next `count` POSTs to response/error/init-error are answered 500 (container error).
    void failPosts(int count);
    // The next `count` `next` calls are answered 500.
    void failNext(int count);
    // Asynchronous invocations (InvocationType Event) are queued as events.
    void setInvokeFeedsQueue(bool on);

    // Waits for the response or error of `requestId`.
    std::optional<RuntimePost> waitForResult(const QByteArray &requestId, int timeoutMs);
    std::optional<RuntimePost> waitForInitError(int timeoutMs);

    QList<RuntimePost> posts() const;
    QList<RuntimePost> invokes() const;
    int nextCalls() const;
    std::optional<qint64> firstNextAtMs() const;

private:
    struct Event {
        QByteArray id;
        QByteArray body;
        qint64 deadlineMs = 0;
    };
    void installRoutes(QHttpServer &server);
    void dispatch(); // on the server thread: pairs held `next` calls with queued events
    void record(RuntimePost post, QHttpServerResponder &&responder);

    ServerThread m_serverThread{QStringLiteral("fake-runtime-api")};

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Event> m_events;
    std::deque<HeldResponder> m_waiting; // server thread only
    QList<RuntimePost> m_posts;
    QList<RuntimePost> m_invokes;
    int m_nextCalls = 0;
    int m_failPosts = 0;
    int m_failNext = 0;
    bool m_invokeFeedsQueue = false;
    std::optional<qint64> m_firstNextAt;
    int m_serial = 0;
};

} // namespace mt::fakes
