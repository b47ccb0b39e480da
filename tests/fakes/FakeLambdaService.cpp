#include "FakeLambdaService.h"

#include "FakeRuntimeApi.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QProcess>
#include <QTemporaryDir>
#include <QUuid>

#include <nlohmann/json.hpp>

namespace mt::fakes {

using nlohmann::json;

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

constexpr int kAsyncRetries = 2; // Lambda's default MaximumRetryAttempts for asynchronous invocations

void answer(QHttpServerResponder &responder, int status, const QByteArray &body, const QByteArray &errorType = {})
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    responder.writeHeader("Content-Type", "application/json");
    if (!errorType.isEmpty())
        responder.writeHeader("x-amzn-ErrorType", errorType);
    responder.writeHeader("x-amzn-RequestId", QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

QStringList entriesIn(const QString &dir)
{
    QStringList left;
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        left << it.next();
    return left;
}

// Lambda's invocation record for the on-failure destination, as the SQS queue delivers it.
QByteArray failureRecord(const QByteArray &requestId, const QByteArray &event, const LambdaRun &last)
{
    json payload = json::parse(event.constBegin(), event.constEnd(), nullptr, false);
    json response = json::parse(last.answer.constBegin(), last.answer.constEnd(), nullptr, false);
    if (!response.is_object())
        response = {{"errorType", "Runtime.ExitError"},
                    {"errorMessage", last.outcome == LambdaRun::Outcome::TimedOut ? "Task timed out" : "Runtime exited without answering"}};
    const json record = {{"version", "1.0"},
                         {"timestamp", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()},
                         {"requestContext", {{"requestId", requestId.toStdString()},
                                             {"functionArn", "arn:aws:lambda:us-east-1:012345678912:function:mediatriage:$LATEST"},
                                             {"condition", "RetriesExhausted"},
                                             {"approximateInvokeCount", kAsyncRetries + 1}}},
                         {"requestPayload", payload},
                         {"responseContext", {{"statusCode", 200}, {"executedVersion", "$LATEST"}, {"functionError", "Unhandled"}}},
                         {"responsePayload", response}};
    const json message = {{"Records", {{{"messageId", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()},
                                        {"eventSource", "aws:sqs"},
                                        {"eventSourceARN", "arn:aws:sqs:us-east-1:012345678912:mediatriage-failed"},
                                        {"body", record.dump()}}}}};
    return QByteArray::fromStdString(message.dump());
}

} // namespace

FakeLambdaService::FakeLambdaService(Options options) : m_options(std::move(options)) {}

FakeLambdaService::~FakeLambdaService()
{
    {
        std::lock_guard l(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_scheduler.joinable())
        m_scheduler.join();
    for (std::thread &w : m_workers)
        w.join();
    m_serverThread.stop();
}

bool FakeLambdaService::start()
{
    if (!m_serverThread.start([this](QHttpServer &server) { installRoutes(server); }))
        return false;
    m_scheduler = std::thread([this] { schedule(); });
    return true;
}

QUrl FakeLambdaService::endpoint() const { return m_serverThread.url(); }

void FakeLambdaService::installRoutes(QHttpServer &server)
{
    server.route(QStringLiteral("/2015-03-31/functions/<arg>/invocations"), QHttpServerRequest::Method::Post,
                 [this](const QString &, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     {
                         std::lock_guard l(m_mutex);
                         ++m_invokeCalls;
                     }
                     if (request.value("x-amz-invocation-type") != "Event") {
                         answer(responder, 400, R"({"message":"this stand-in only takes InvocationType Event"})");
                         return;
                     }
                     if (takeRefusal(request.body())) {
                         answer(responder, 503, R"({"Type":"Service","message":"Service unavailable"})",
                                "ServiceException");
                         return;
                     }
                     invokeAsync(request.body());
                     answer(responder, 202, {});
                 });
}

void FakeLambdaService::invokeAsync(const QByteArray &event)
{
    QByteArray id;
    {
        std::lock_guard l(m_mutex);
        id = "inv-" + QByteArray::number(++m_serial) + '-' + QUuid::createUuid().toByteArray(QUuid::Id128).left(8);
    }
    enqueue(Pending{id, event, 0, 0});
}

void FakeLambdaService::addFault(const LambdaFault &fault)
{
    std::lock_guard l(m_mutex);
    m_faults << fault;
}

void FakeLambdaService::refuseInvokes(const QByteArray &match, int times)
{
    std::lock_guard l(m_mutex);
    m_refusals.append({match, times});
}

bool FakeLambdaService::takeRefusal(const QByteArray &event)
{
    std::lock_guard l(m_mutex);
    for (auto &[match, times] : m_refusals)
        if (times > 0 && event.contains(match)) {
            --times;
            ++m_refusedInvokes;
            return true;
        }
    return false;
}

void FakeLambdaService::redeliverOnce(const QByteArray &match)
{
    std::lock_guard l(m_mutex);
    m_redeliver << match;
}

void FakeLambdaService::setTimeoutFor(const QList<QByteArray> &matches, int timeoutMs)
{
    std::lock_guard l(m_mutex);
    m_timeouts << qMakePair(matches, timeoutMs);
}

void FakeLambdaService::clearFaults()
{
    std::lock_guard l(m_mutex);
    m_faults.clear();
}

void FakeLambdaService::enqueue(Pending pending)
{
    {
        std::lock_guard l(m_mutex);
        m_queue.push_back(std::move(pending));
    }
    m_changed.notify_all();
}

void FakeLambdaService::schedule()
{
    std::unique_lock l(m_mutex);
    while (!m_stopping) {
        const qint64 now = nowMs();
        auto ready = std::find_if(m_queue.begin(), m_queue.end(), [now](const Pending &p) { return p.notBeforeMs <= now; });
        if (ready == m_queue.end() || m_running >= m_options.concurrency) {
            m_changed.wait_for(l, std::chrono::milliseconds(20));
            continue;
        }
        Pending pending = *ready;
        m_queue.erase(ready);
        m_maxRunning = std::max(m_maxRunning, ++m_running);
        m_workers.emplace_back([this, pending] { execute(pending); });
    }
}

int FakeLambdaService::faultFor(const QByteArray &event)
{
    std::lock_guard l(m_mutex);
    for (LambdaFault &f : m_faults) {
        if (f.times == 0 || !event.contains(f.match))
            continue;
        if (f.times > 0)
            --f.times;
        return f.killAfterMs;
    }
    return -1;
}

int FakeLambdaService::timeoutFor(const QByteArray &event) const
{
    std::lock_guard l(m_mutex);
    for (const auto &[matches, ms] : m_timeouts)
        if (std::all_of(matches.begin(), matches.end(), [&event](const QByteArray &m) { return event.contains(m); }))
            return ms;
    return m_options.timeoutMs;
}

void FakeLambdaService::execute(Pending pending)
{
    const int killAfterMs = faultFor(pending.event);
    const LambdaRun run = runProcess(pending, killAfterMs, timeoutFor(pending.event));
    settle(pending, run);
}

LambdaRun FakeLambdaService::runProcess(const Pending &pending, int killAfterMs, int timeoutMs)
{
    LambdaRun run{pending.requestId, pending.event, pending.attempt, LambdaRun::Outcome::Crashed, {}, nowMs(), 0, {}};
    FakeRuntimeApi api;
    QTemporaryDir tmp;
    if (!api.start() || !tmp.isValid())
        return run;
    QProcessEnvironment env = m_options.environment;
    env.insert(QStringLiteral("AWS_LAMBDA_RUNTIME_API"), QString::fromLatin1(api.hostPort()));
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_LAMBDA"), endpoint().toString());
    env.insert(QStringLiteral("TMPDIR"), tmp.path());
    QTemporaryDir logs; // the process's own output, never a full pipe
    QProcess process;
    process.setProcessEnvironment(env);
    process.setStandardOutputFile(logs.filePath(QStringLiteral("stdout")));
    process.setStandardErrorFile(logs.filePath(QStringLiteral("stderr")));
    process.start(m_options.bootstrap, {});
    if (!process.waitForStarted(10000))
        return run;
    const qint64 deadline = run.startMs + timeoutMs;
    api.queueEvent(pending.event, deadline, pending.requestId);
    for (;;) {
        if (auto post = api.waitForResult(pending.requestId, 20)) {
            run.outcome = post->kind == RuntimePost::Kind::Response ? LambdaRun::Outcome::Response : LambdaRun::Outcome::Error;
            run.answer = post->body;
            break;
        }
        if (process.state() == QProcess::NotRunning)
            break; // crashed: Crashed
        if (killAfterMs >= 0 && nowMs() - run.startMs >= killAfterMs) {
            run.outcome = LambdaRun::Outcome::Killed;
            break;
        }
        if (nowMs() > deadline + 1000) {
            run.outcome = LambdaRun::Outcome::TimedOut;
            break;
        }
    }
    process.kill();
    process.waitForFinished(5000);
    run.endMs = nowMs();
    if (!m_options.logDirectory.isEmpty())
        for (const char *stream : {"stdout", "stderr"})
            QFile::copy(logs.filePath(QLatin1String(stream)),
                        QDir(m_options.logDirectory)
                            .filePath(QStringLiteral("%1-%2.%3").arg(QString::fromLatin1(run.requestId)).arg(run.attempt).arg(QLatin1String(stream))));
    if (run.outcome == LambdaRun::Outcome::Response || run.outcome == LambdaRun::Outcome::Error)
        run.leftInTmp = entriesIn(tmp.path());
    return run;
}

void FakeLambdaService::settle(const Pending &pending, const LambdaRun &run)
{
    std::optional<Pending> next;
    {
        std::lock_guard l(m_mutex);
        m_runs << run;
        const bool failed = run.outcome != LambdaRun::Outcome::Response;
        if (failed && pending.attempt < kAsyncRetries) {
            next = Pending{pending.requestId, pending.event, pending.attempt + 1, nowMs() + m_options.retryDelayMs};
        } else if (failed && m_options.onFailureQueue && !pending.event.contains("\"aws:sqs\"")) {
            next = Pending{"sqs-" + pending.requestId, failureRecord(pending.requestId, pending.event, run), 0, 0};
        } else if (!failed) {
            for (int i = 0; i < m_redeliver.size(); ++i)
                if (pending.event.contains(m_redeliver[i])) {
                    m_redeliver.removeAt(i);
                    next = Pending{pending.requestId + "-again", pending.event, 0, 0};
                    break;
                }
        }
        if (next)
            m_queue.push_back(*next);
        --m_running;
    }
    m_changed.notify_all();
}

bool FakeLambdaService::waitUntilIdle(int timeoutMs)
{
    std::unique_lock l(m_mutex);
    return m_changed.wait_for(l, std::chrono::milliseconds(timeoutMs), [this] { return m_queue.empty() && m_running == 0; });
}

QList<LambdaRun> FakeLambdaService::runs() const
{
    std::lock_guard l(m_mutex);
    return m_runs;
}

int FakeLambdaService::maxConcurrent() const
{
    std::lock_guard l(m_mutex);
    return m_maxRunning;
}

int FakeLambdaService::refusedInvokes() const
{
    std::lock_guard l(m_mutex);
    return m_refusedInvokes;
}

int FakeLambdaService::invokeCalls() const
{
    std::lock_guard l(m_mutex);
    return m_invokeCalls;
}

} // namespace mt::fakes
