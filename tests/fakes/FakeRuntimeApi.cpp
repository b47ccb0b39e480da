#include "FakeRuntimeApi.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>

namespace mt::fakes {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

QHash<QByteArray, QByteArray> lowerHeaders(const QHttpServerRequest &request)
{
    QHash<QByteArray, QByteArray> out;
    for (const auto &[name, value] : request.headers())
        out.insert(name.toLower(), value);
    return out;
}

void answer(QHttpServerResponder &responder, int status, const QByteArray &body,
            const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    for (const auto &[k, v] : headers)
        responder.writeHeader(k, v);
    responder.writeHeader("Content-Type", "application/json");
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

} // namespace

FakeRuntimeApi::FakeRuntimeApi() = default;

FakeRuntimeApi::~FakeRuntimeApi()
{
    m_serverThread.stop([this] { m_waiting.clear(); });
}

bool FakeRuntimeApi::start()
{
    return m_serverThread.start([this](QHttpServer &server) { installRoutes(server); });
}

QByteArray FakeRuntimeApi::hostPort() const { return "127.0.0.1:" + QByteArray::number(m_serverThread.port()); }
QUrl FakeRuntimeApi::invokeEndpoint() const { return m_serverThread.url(); }

QByteArray FakeRuntimeApi::queueEvent(const QByteArray &body, qint64 deadlineMs, const QByteArray &requestId)
{
    QByteArray id;
    {
        std::lock_guard l(m_mutex);
        id = requestId.isEmpty() ? "req-" + QByteArray::number(m_serverThread.port()) + '-' + QByteArray::number(++m_serial) : requestId;
        m_events.push_back(Event{id, body, deadlineMs});
    }
    QMetaObject::invokeMethod(m_serverThread.context(), [this] { dispatch(); }, Qt::QueuedConnection);
    return id;
}

void FakeRuntimeApi::failPosts(int count) { std::lock_guard l(m_mutex); m_failPosts = count; }
void FakeRuntimeApi::failNext(int count) { std::lock_guard l(m_mutex); m_failNext = count; }
void FakeRuntimeApi::setInvokeFeedsQueue(bool on) { std::lock_guard l(m_mutex); m_invokeFeedsQueue = on; }

void FakeRuntimeApi::installRoutes(QHttpServer &server)
{
    using Method = QHttpServerRequest::Method;
    server.route(QStringLiteral("/2018-06-01/runtime/invocation/next"), Method::Get,
                    [this](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                        bool fail = false;
                        {
                            std::lock_guard l(m_mutex);
                            ++m_nextCalls;
                            if (!m_firstNextAt)
                                m_firstNextAt = nowMs();
                            if (m_failNext > 0) {
                                --m_failNext;
                                fail = true;
                            }
                        }
                        m_changed.notify_all();
                        if (fail) {
                            answer(responder, 500, R"({"errorMessage":"container error","errorType":"Runtime.Fake"})");
                            return;
                        }
                        // Held, not answered: `next` blocks until an event exists.
                        m_waiting.emplace_back(std::move(responder));
                        dispatch();
                    });
    auto post = [this](RuntimePost::Kind kind) {
        return [this, kind](const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            record(RuntimePost{kind, id.toUtf8(), request.body(), lowerHeaders(request), nowMs()}, std::move(responder));
        };
    };
    server.route(QStringLiteral("/2018-06-01/runtime/invocation/<arg>/response"), Method::Post,
                    post(RuntimePost::Kind::Response));
    server.route(QStringLiteral("/2018-06-01/runtime/invocation/<arg>/error"), Method::Post,
                    post(RuntimePost::Kind::Error));
    server.route(QStringLiteral("/2018-06-01/runtime/init/error"), Method::Post,
                    [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                        record(RuntimePost{RuntimePost::Kind::InitError, {}, request.body(), lowerHeaders(request), nowMs()},
                               std::move(responder));
                    });
    server.route(QStringLiteral("/2015-03-31/functions/<arg>/invocations"), Method::Post,
                    [this](const QString &name, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                        RuntimePost invoke{RuntimePost::Kind::Invoke, name.toUtf8(), request.body(), lowerHeaders(request), nowMs()};
                        const bool async = invoke.headers.value("x-amz-invocation-type") == "Event";
                        bool feed = false;
                        {
                            std::lock_guard l(m_mutex);
                            m_invokes << invoke;
                            feed = async && m_invokeFeedsQueue;
                        }
                        m_changed.notify_all();
                        if (!async) {
                            answer(responder, 400, R"({"message":"this fake only takes InvocationType Event"})");
                            return;
                        }
                        answer(responder, 202, {}, {{"x-amzn-RequestId", "fake-invoke"}});
                        if (feed)
                            queueEvent(invoke.body);
                    });
}

void FakeRuntimeApi::dispatch()
{
    for (;;) {
        // A runtime that went away leaves a dead held request behind: skip it.
        while (!m_waiting.empty() && !m_waiting.front().live())
            m_waiting.pop_front();
        Event event;
        {
            std::lock_guard l(m_mutex);
            if (m_waiting.empty() || m_events.empty())
                return;
            event = m_events.front();
            m_events.pop_front();
        }
        const HeldResponder held = m_waiting.front();
        m_waiting.pop_front();
        QHttpServerResponder *responder = held.live();
        const qint64 deadline = event.deadlineMs > 0 ? event.deadlineMs : nowMs() + 60000;
        answer(*responder, 200, event.body,
               {{"Lambda-Runtime-Aws-Request-Id", event.id},
                {"Lambda-Runtime-Deadline-Ms", QByteArray::number(deadline)},
                {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:012345678912:function:mediatriage"},
                {"Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"}});
    }
}

void FakeRuntimeApi::record(RuntimePost post, QHttpServerResponder &&responder)
{
    bool fail = false;
    {
        std::lock_guard l(m_mutex);
        if (m_failPosts > 0) {
            --m_failPosts;
            fail = true;
        }
        m_posts << std::move(post);
    }
    m_changed.notify_all();
    if (fail)
        answer(responder, 500, R"({"errorMessage":"container error","errorType":"Runtime.Fake"})");
    else
        answer(responder, 202, R"({"status":"OK"})");
}

std::optional<RuntimePost> FakeRuntimeApi::waitForResult(const QByteArray &requestId, int timeoutMs)
{
    std::unique_lock l(m_mutex);
    std::optional<RuntimePost> found;
    m_changed.wait_for(l, std::chrono::milliseconds(timeoutMs), [&] {
        for (const RuntimePost &p : m_posts)
            if (p.requestId == requestId && p.kind != RuntimePost::Kind::Invoke) {
                found = p;
                return true;
            }
        return false;
    });
    return found;
}

std::optional<RuntimePost> FakeRuntimeApi::waitForInitError(int timeoutMs)
{
    std::unique_lock l(m_mutex);
    std::optional<RuntimePost> found;
    m_changed.wait_for(l, std::chrono::milliseconds(timeoutMs), [&] {
        for (const RuntimePost &p : m_posts)
            if (p.kind == RuntimePost::Kind::InitError) {
                found = p;
                return true;
            }
        return false;
    });
    return found;
}

QList<RuntimePost> FakeRuntimeApi::posts() const { std::lock_guard l(m_mutex); return m_posts; }
QList<RuntimePost> FakeRuntimeApi::invokes() const { std::lock_guard l(m_mutex); return m_invokes; }
int FakeRuntimeApi::nextCalls() const { std::lock_guard l(m_mutex); return m_nextCalls; }
std::optional<qint64> FakeRuntimeApi::firstNextAtMs() const { std::lock_guard l(m_mutex); return m_firstNextAt; }

} // namespace mt::fakes
