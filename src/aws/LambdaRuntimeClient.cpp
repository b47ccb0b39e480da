#include "aws/LambdaRuntimeClient.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QThread>

#include <nlohmann/json.hpp>

namespace mt::aws {

namespace {

constexpr int kNextAttempts = 4;
constexpr std::chrono::milliseconds kPostTimeout{30000};

} // namespace

qint64 Invocation::remainingMs() const
{
    if (deadlineMs <= 0)
        return std::numeric_limits<qint64>::max();
    return deadlineMs - QDateTime::currentMSecsSinceEpoch();
}

LambdaRuntimeClient::LambdaRuntimeClient(const QByteArray &hostPort)
    : m_base(QStringLiteral("http://%1/2018-06-01").arg(QString::fromLatin1(hostPort)))
{
}

Result<std::unique_ptr<LambdaRuntimeClient>> LambdaRuntimeClient::fromEnvironment()
{
    const QByteArray api = qgetenv("AWS_LAMBDA_RUNTIME_API");
    if (api.isEmpty())
        return makeError(Error::Code::InvalidArgument,
                         tr("AWS_LAMBDA_RUNTIME_API is not set: run inside Lambda, or use --event FILE.json locally."));
    return std::make_unique<LambdaRuntimeClient>(api);
}

Result<Invocation> LambdaRuntimeClient::next()
{
    net::HttpCall call;
    call.url = QUrl(m_base.toString() + QStringLiteral("/runtime/invocation/next"));
    call.timeout = std::chrono::milliseconds(0); // documented: never time out this request
    QString lastError;
    for (int attempt = 0; attempt < kNextAttempts; ++attempt) {
        if (attempt > 0)
            QThread::msleep(100ul << (2 * (attempt - 1))); // 100, 400, 1600 ms
        auto answer = m_http.send(call);
        if (!answer) {
            lastError = answer.error().message;
            continue;
        }
        if (answer->status != 200)
            return makeError(Error::Code::Internal,
                             tr("the Runtime API answered %1 to next: %2")
                                 .arg(answer->status)
                                 .arg(QString::fromUtf8(answer->body.left(200))));
        Invocation inv;
        inv.requestId = answer->headers.value("lambda-runtime-aws-request-id");
        inv.deadlineMs = answer->headers.value("lambda-runtime-deadline-ms").toLongLong();
        inv.functionArn = answer->headers.value("lambda-runtime-invoked-function-arn");
        inv.traceId = answer->headers.value("lambda-runtime-trace-id");
        inv.body = answer->body;
        if (inv.requestId.isEmpty())
            return makeError(Error::Code::Internal, tr("the Runtime API sent an event without a request id"));
        if (inv.traceId.isEmpty())
            qunsetenv("_X_AMZN_TRACE_ID");
        else
            qputenv("_X_AMZN_TRACE_ID", inv.traceId);
        return inv;
    }
    return makeError(Error::Code::Network, tr("cannot reach the Runtime API at %1: %2").arg(m_base.toString(), lastError));
}

QByteArray LambdaRuntimeClient::normalizedErrorType(const QByteArray &errorType)
{
    static const QRegularExpression valid(QStringLiteral("^(Runtime|Function)\\.[A-Z][a-zA-Z]+$"));
    const QString type = QString::fromLatin1(errorType);
    if (valid.match(type).hasMatch())
        return errorType;
    // Salvage "Function.some_reason-2" as "Function.SomeReason"; keep the category when it is known.
    const qsizetype dot = type.indexOf(u'.');
    QString category = dot > 0 ? type.left(dot) : QString();
    if (category != QLatin1String("Runtime"))
        category = QStringLiteral("Function");
    QString reason;
    bool upper = true;
    for (const QChar c : type.mid(dot + 1)) {
        if (c.isLetter() && c.unicode() < 128) {
            reason += upper ? c.toUpper() : c;
            upper = false;
        } else {
            upper = true;
        }
    }
    if (reason.size() < 2)
        reason = QStringLiteral("Unknown");
    return (category + u'.' + reason).toLatin1();
}

QByteArray LambdaRuntimeClient::errorBody(const QByteArray &errorType, const QString &message)
{
    const nlohmann::ordered_json body = {{"errorMessage", message.toStdString()},
                                         {"errorType", normalizedErrorType(errorType).toStdString()},
                                         {"stackTrace", nlohmann::json::array()}};
    return QByteArray::fromStdString(body.dump());
}

Result<RuntimeAck> LambdaRuntimeClient::postResponse(const QByteArray &requestId, const QByteArray &body,
                                                     const QByteArray &contentType)
{
    return post(QStringLiteral("/runtime/invocation/%1/response").arg(QString::fromLatin1(requestId.toPercentEncoding())),
                body, contentType);
}

Result<RuntimeAck> LambdaRuntimeClient::postError(const QByteArray &requestId, const QByteArray &errorType,
                                                  const QString &message)
{
    return post(QStringLiteral("/runtime/invocation/%1/error").arg(QString::fromLatin1(requestId.toPercentEncoding())),
                errorBody(errorType, message), "application/json", normalizedErrorType(errorType));
}

Result<RuntimeAck> LambdaRuntimeClient::postInitError(const QByteArray &errorType, const QString &message)
{
    QByteArray type = normalizedErrorType(errorType);
    return post(QStringLiteral("/runtime/init/error"), errorBody(type, message), "application/json", type);
}

Result<RuntimeAck> LambdaRuntimeClient::post(const QString &path, const QByteArray &body, const QByteArray &contentType,
                                             const QByteArray &errorType)
{
    net::HttpCall call;
    call.method = "POST";
    call.url = QUrl(m_base.toString() + path);
    call.body = body;
    call.timeout = kPostTimeout;
    call.headers = {{"Content-Type", contentType}, {"Content-Length", QByteArray::number(body.size())}};
    if (!errorType.isEmpty())
        call.headers.append({"Lambda-Runtime-Function-Error-Type", errorType});
    // One retry: a kept-alive connection can be dead after the process was frozen.
    auto answer = m_http.send(call);
    if (!answer)
        answer = m_http.send(call);
    if (!answer)
        return answer.error();
    return RuntimeAck{answer->status};
}

} // namespace mt::aws
