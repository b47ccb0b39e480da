#include "aws/LambdaInvoker.h"

#include "aws/AwsJsonError.h"

#include <QCoreApplication>

namespace mt::aws {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Lambda", text); }

AnswerDisposition classify(const net::HttpAnswer &answer)
{
    if (answer.status == 429 || answer.status >= 500)
        return AnswerDisposition::Retry;
    if (answer.status / 100 != 2 && parseAwsJsonError(answer).type == u"ExpiredTokenException")
        return AnswerDisposition::RefreshCredentials;
    return AnswerDisposition::Final;
}

Error answerError(const QString &function, const net::HttpAnswer &answer)
{
    const AwsJsonError error = parseAwsJsonError(answer);
    const QString detail = (error.type.isEmpty() ? QString() : error.type + QStringLiteral(": ")) + error.message
        + QStringLiteral(" (HTTP %1)").arg(answer.status);
    if (answer.status == 404 || error.type == u"ResourceNotFoundException")
        return makeError(Error::Code::NotFound, tr("Lambda function '%1' does not exist: %2").arg(function, detail));
    if (answer.status == 403 || error.type == u"AccessDeniedException") {
        return makeError(Error::Code::PermissionDenied,
                         tr("not allowed to invoke Lambda function '%1': grant lambda:InvokeFunction on it to the role (%2)")
                             .arg(function, detail));
    }
    if (answer.status == 429 || answer.status >= 500)
        return makeError(Error::Code::Network, tr("Lambda did not accept the invocation of '%1': %2").arg(function, detail));
    return makeError(Error::Code::InvalidArgument, tr("Lambda refused the invocation of '%1': %2").arg(function, detail));
}

} // namespace

LambdaInvoker::LambdaInvoker(AwsConfig config) : LambdaInvoker(std::move(config), LambdaInvokerOptions{}) {}

LambdaInvoker::LambdaInvoker(AwsConfig config, LambdaInvokerOptions options)
    : m_config(config), m_options(options),
      m_sender(std::move(config), "lambda", SigV4Signer::PathStyle::Normalized, options.retry)
{
}

Status LambdaInvoker::invokeAsync(const QString &functionName, const QByteArray &payload, const CancellationToken &token)
{
    if (functionName.trimmed().isEmpty() || functionName.contains(u'/') || functionName.size() > 170) {
        return makeError(Error::Code::InvalidArgument,
                         tr("'%1' is not a Lambda function name or ARN").arg(functionName.left(200)));
    }
    AwsRequest request;
    request.method = "POST";
    request.endpoint = m_config.serviceEndpoint("lambda");
    request.path = "/2015-03-31/functions/" + functionName.toUtf8() + "/invocations";
    request.headers = {{"Content-Type", "application/json"}, {"X-Amz-Invocation-Type", "Event"}};
    request.body = payload;
    request.idempotent = false;
    request.timeout = m_options.timeout;
    auto answer = m_sender.send(request, classify, token);
    if (!answer) {
        if (answer.error().code == Error::Code::Network || answer.error().code == Error::Code::Timeout) {
            return makeError(answer.error().code,
                             tr("cannot reach Lambda to invoke '%1': %2").arg(functionName, answer.error().message));
        }
        return answer.error();
    }
    if (answer->status != 202)
        return answerError(functionName, *answer);
    return Done{};
}

} // namespace mt::aws
