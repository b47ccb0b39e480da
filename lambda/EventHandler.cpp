#include "lambda/EventHandler.h"

#include "aws/LambdaEvents.h"
#include "lambda/HttpRoutes.h"
#include "lambda/JsonLog.h"
#include "lambda/MediaJobs.h"

#include <QElapsedTimer>

#include <exception>

namespace mt::lambda {

using nlohmann::json;

namespace {

HandlerResult failure(const QByteArray &type, const QString &message) { return HandlerResult{false, {}, type, message}; }
HandlerResult success(const json &body) { return HandlerResult{true, QByteArray::fromStdString(body.dump()), {}, {}}; }

// A fanned-out triage's own events: a shard invocation, or Lambda's record of one that failed
// all its attempts (sent by the on-failure destination directly or through its SQS queue).
bool isFanoutEvent(const json &event)
{
    if (!event.is_object())
        return false;
    if (event.value("action", json()) == "triage-shard")
        return true;
    if (event.contains("requestContext") && event.contains("requestPayload"))
        return true;
    const auto records = event.find("Records");
    return records != event.end() && records->is_array() && !records->empty() && (*records)[0].is_object()
        && (*records)[0].value("eventSource", json()) == "aws:sqs";
}

} // namespace

HandlerResult EventHandler::handle(const aws::Invocation &invocation)
{
    QElapsedTimer timer;
    timer.start();
    m_log.setRequestId(invocation.requestId);
    m_log.info("invoke", tr("event received"), {{"bytes", invocation.body.size()}, {"remainingMs", invocation.remainingMs()}});
    HandlerResult result;
    try {
        result = dispatch(invocation);
    } catch (const std::exception &e) {
        // Last line of defence: the loop must survive whatever one event does.
        result = failure("Function.InternalError", tr("internal error: %1").arg(QString::fromUtf8(e.what())));
    }
    if (result.ok)
        m_log.info("invoke", tr("answered"), {{"bytes", result.body.size()}, {"durationMs", timer.elapsed()}});
    else
        m_log.error("invoke", result.errorMessage, {{"errorType", result.errorType.toStdString()}, {"durationMs", timer.elapsed()}});
    return result;
}

HandlerResult EventHandler::dispatch(const aws::Invocation &invocation)
{
    const json event = json::parse(invocation.body.constBegin(), invocation.body.constEnd(), nullptr, false);
    if (event.is_discarded())
        return failure("Function.MalformedEvent", tr("the event is not valid JSON"));
    if (isFanoutEvent(event)) {
        auto jobs = MediaModule::jobs();
        if (!jobs)
            return failure("Runtime.MediaModuleMissing", jobs.error().message);
        auto outcome = (*jobs)->triageShard(m_services, m_log, event, invocation);
        if (!outcome)
            return failure("Function.ShardFailed", outcome.error().message);
        return success(*outcome);
    }
    switch (aws::classifyEvent(event)) {
    case aws::EventKind::Triage: {
        auto request = aws::parseTriageRequest(event);
        if (!request)
            return failure("Function.BadRequest", request.error().message);
        auto jobs = MediaModule::jobs();
        if (!jobs)
            return failure("Runtime.MediaModuleMissing", jobs.error().message);
        auto summary = (*jobs)->triage(m_services, m_log, *request, invocation);
        if (!summary)
            return failure("Function.TriageFailed", summary.error().message);
        return success(*summary);
    }
    case aws::EventKind::S3Notification: {
        auto records = aws::parseS3Records(event);
        if (!records)
            return failure("Function.MalformedEvent", records.error().message);
        auto jobs = MediaModule::jobs();
        if (!jobs)
            return failure("Runtime.MediaModuleMissing", jobs.error().message);
        auto outcome = (*jobs)->prepareUploads(m_services, m_log, *records, invocation);
        if (!outcome)
            return failure("Function.TransientFailure", outcome.error().message);
        return success(*outcome);
    }
    case aws::EventKind::S3TestEvent:
        m_log.info("s3", tr("S3 test notification acknowledged"));
        return success({{"ignored", "s3:TestEvent"}});
    case aws::EventKind::HttpApi: {
        auto request = aws::parseHttpApiRequest(event);
        if (!request)
            return HandlerResult{true, aws::httpApiError(400, request.error().message), {}, {}};
        return HandlerResult{true, HttpRoutes(m_services, m_log).handle(*request, invocation), {}, {}};
    }
    case aws::EventKind::Unknown:
        break;
    }
    return failure("Function.UnknownEvent",
                   tr("unknown event: expected {\"action\":\"triage\",...}, an S3 notification or an HTTP API request"));
}

} // namespace mt::lambda
