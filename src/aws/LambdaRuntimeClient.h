#pragma once

#include "common/Result.h"
#include "net/HttpTransport.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QUrl>

#include <memory>

namespace mt::aws {

// One event handed out by the Runtime API's `next`.
struct Invocation {
    QByteArray requestId;
    qint64 deadlineMs = 0; // Unix epoch milliseconds; 0 when the header was missing
    QByteArray functionArn;
    QByteArray traceId;
    QByteArray body;

    qint64 remainingMs() const;
};

// What the Runtime API said to a POST. 500 means the container is broken: the runtime must exit.
struct RuntimeAck {
    int status = 0;
    bool accepted() const { return status == 202; }
    bool fatal() const { return status >= 500; }
};

// Lambda's Runtime API (2018-06-01) over plain HTTP: next → response/error, and init/error.
// One instance per runtime process, used from one thread.
class LambdaRuntimeClient {
    Q_DECLARE_TR_FUNCTIONS(LambdaRuntimeClient)
public:
    // `hostPort` is AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001").
    explicit LambdaRuntimeClient(const QByteArray &hostPort);
    // Reads AWS_LAMBDA_RUNTIME_API; an error when it is not set.
    static Result<std::unique_ptr<LambdaRuntimeClient>> fromEnvironment();

    QUrl baseUrl() const { return m_base; }

    // Blocks without a time limit until an event arrives (the process may be frozen in between).
    // Transport failures are retried a few times; any error returned means the runtime must exit.
    // Sets _X_AMZN_TRACE_ID for the invocation.
    Result<Invocation> next();

    Result<RuntimeAck> postResponse(const QByteArray &requestId, const QByteArray &body,
                                    const QByteArray &contentType = "application/json");
    // `errorType` is normalised to the `(Runtime|Function).Reason` form the service keeps.
    Result<RuntimeAck> postError(const QByteArray &requestId, const QByteArray &errorType, const QString &message);
    Result<RuntimeAck> postInitError(const QByteArray &errorType, const QString &message);

    // "Function.Unknown" for anything that cannot be made to match (Runtime|Function)\.[A-Z][a-zA-Z]+.
    static QByteArray normalizedErrorType(const QByteArray &errorType);
    static QByteArray errorBody(const QByteArray &errorType, const QString &message);

private:
    Result<RuntimeAck> post(const QString &path, const QByteArray &body, const QByteArray &contentType,
                            const QByteArray &errorType = {});

    QUrl m_base;
    net::HttpTransport m_http;
};

} // namespace mt::aws
