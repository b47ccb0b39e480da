#include "lambda/Runtime.h"

#include "aws/LambdaRuntimeClient.h"
#include "lambda/EventHandler.h"
#include "lambda/InvocationWatchdog.h"
#include "lambda/JsonLog.h"
#include "lambda/LambdaServices.h"
#include "lambda/MediaJobs.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QUuid>

#include <cstdio>
#include <cstdlib>
#include <functional>

namespace mt::lambda {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Runtime", text); }

QString deadlineMessage()
{
    return tr("still running just before the deadline (stuck in a media library call that cannot be interrupted); "
              "answered in its place and restarted the runtime");
}

// Runs the handler; when it is still busy just before the deadline, `answerInstead` answers for
// it and the process ends: the busy thread cannot be reclaimed, and Lambda starts a fresh
// runtime for the next event instead of killing this one without an answer.
HandlerResult handleBeforeDeadline(EventHandler &handler, const aws::Invocation &invocation,
                                   const std::function<void()> &answerInstead)
{
    InvocationWatchdog watchdog(InvocationWatchdog::answerAtMs(invocation.deadlineMs), [&answerInstead] {
        answerInstead();
        std::fflush(stdout);
        std::fflush(stderr);
        std::_Exit(ExitFunctionError);
    });
    HandlerResult result = handler.handle(invocation);
    // When the watchdog answered first, its destructor waits here for it to end the process.
    watchdog.finish();
    return result;
}

} // namespace

int runRuntimeLoop()
{
    JsonLog log(stdout);
    auto client = aws::LambdaRuntimeClient::fromEnvironment();
    if (!client) {
        log.error("init", client.error().message);
        return ExitInitFailed;
    }
    aws::LambdaRuntimeClient &api = **client;
    auto services = LambdaServices::initialize(log);
    if (!services) {
        log.error("init", services.error().message);
        if (auto ack = api.postInitError("Runtime.InitializationError", services.error().message); !ack)
            log.error("init", tr("cannot report the init error: %1").arg(ack.error().message));
        return ExitInitFailed;
    }
    MediaModule::preload(); // in parallel with the first `next`; media events wait for it
    EventHandler handler(**services, log);
    for (;;) {
        auto invocation = api.next();
        if (!invocation) {
            log.error("next", invocation.error().message);
            return ExitFunctionError;
        }
        const QByteArray requestId = invocation->requestId;
        const HandlerResult result = handleBeforeDeadline(handler, *invocation, [&log, requestId] {
            log.error("deadline", deadlineMessage());
            // A client of its own: the loop's belongs to the thread that is stuck.
            auto late = aws::LambdaRuntimeClient::fromEnvironment();
            if (!late)
                log.error("deadline", late.error().message);
            else if (auto posted = (*late)->postError(requestId, "Function.DeadlineExceeded", deadlineMessage()); !posted)
                log.error("deadline", posted.error().message);
        });
        auto ack = result.ok ? api.postResponse(invocation->requestId, result.body)
                             : api.postError(invocation->requestId, result.errorType, result.errorMessage);
        if (ack && ack->status == 413) {
            // Over the 6 MB response limit: the caller still deserves an answer.
            ack = api.postError(invocation->requestId, "Function.ResponseTooLarge",
                                tr("the response is larger than Lambda's 6 MB limit"));
        }
        if (!ack) {
            log.error("post", tr("cannot deliver the result: %1").arg(ack.error().message));
        } else if (ack->fatal()) {
            log.error("post", tr("the Runtime API reported a container error (%1); exiting").arg(ack->status));
            return ExitFunctionError;
        } else if (!ack->accepted()) {
            log.warn("post", tr("the Runtime API refused the result with status %1").arg(ack->status));
        }
        log.setRequestId({});
    }
}

int runLocalEvent(const QString &eventFile, const QByteArray &requestId, int timeoutSeconds)
{
    JsonLog log(stderr);
    QFile file(eventFile);
    if (!file.open(QIODevice::ReadOnly)) {
        log.error("init", tr("cannot read %1: %2").arg(eventFile, file.errorString()));
        return ExitUsage;
    }
    auto services = LambdaServices::initialize(log);
    if (!services) {
        log.error("init", services.error().message);
        return ExitInitFailed;
    }
    aws::Invocation invocation;
    invocation.requestId = requestId.isEmpty() ? QUuid::createUuid().toByteArray(QUuid::WithoutBraces) : requestId;
    invocation.deadlineMs = QDateTime::currentMSecsSinceEpoch() + qint64(timeoutSeconds) * 1000;
    invocation.functionArn = "local";
    invocation.body = file.readAll();
    EventHandler handler(**services, log);
    const HandlerResult result = handleBeforeDeadline(handler, invocation, [&log] {
        log.error("deadline", deadlineMessage());
        const QByteArray out = aws::LambdaRuntimeClient::errorBody("Function.DeadlineExceeded", deadlineMessage());
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        std::fputc('\n', stdout);
    });
    const QByteArray out = result.ok ? result.body : aws::LambdaRuntimeClient::errorBody(result.errorType, result.errorMessage);
    std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
    std::fputc('\n', stdout);
    return result.ok ? ExitOk : ExitFunctionError;
}

} // namespace mt::lambda
