#include "aws/SsmClient.h"

#include "aws/AwsJsonError.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

namespace mt::aws {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Ssm", text); }

AnswerDisposition classify(const net::HttpAnswer &answer)
{
    if (answer.status >= 500)
        return AnswerDisposition::Retry;
    if (answer.status / 100 == 2)
        return AnswerDisposition::Final;
    const QString type = parseAwsJsonError(answer).type;
    if (type == u"ThrottlingException" || type == u"InternalServerError")
        return AnswerDisposition::Retry;
    if (type == u"ExpiredTokenException")
        return AnswerDisposition::RefreshCredentials;
    return AnswerDisposition::Final;
}

Error answerError(const QString &name, const QByteArray &region, const net::HttpAnswer &answer)
{
    const AwsJsonError error = parseAwsJsonError(answer);
    const QString detail = error.type.isEmpty() ? tr("HTTP %1").arg(answer.status)
                                                : error.type + (error.message.isEmpty() ? QString() : QStringLiteral(": ") + error.message);
    const QString regionName = QString::fromLatin1(region);
    if (error.type == u"ParameterNotFound" || error.type == u"ParameterVersionNotFound") {
        return makeError(Error::Code::NotFound,
                         tr("SSM parameter '%1' does not exist in region %2: create it (aws ssm put-parameter --type "
                            "SecureString) or fix the parameter name (%3)")
                             .arg(name, regionName, detail));
    }
    if (error.type == u"AccessDeniedException") {
        return makeError(Error::Code::PermissionDenied,
                         tr("not allowed to read SSM parameter '%1': grant ssm:GetParameter on it to the role (%2)")
                             .arg(name, detail));
    }
    if (error.type == u"InvalidKeyId" || error.type.startsWith(u"KMS") || error.type == u"KMSAccessDeniedException") {
        return makeError(Error::Code::PermissionDenied,
                         tr("SSM parameter '%1' cannot be decrypted: grant kms:Decrypt on its KMS key to the role (%2)")
                             .arg(name, detail));
    }
    if (error.type == u"UnrecognizedClientException" || error.type == u"InvalidSignatureException"
        || error.type == u"IncompleteSignature" || error.type == u"ExpiredTokenException"
        || error.type == u"InvalidClientTokenId" || answer.status == 403) {
        return makeError(Error::Code::PermissionDenied,
                         tr("SSM rejected the AWS credentials while reading '%1': check the access key, the clock and "
                            "the session token (%2)")
                             .arg(name, detail));
    }
    if (error.type == u"ThrottlingException" || answer.status >= 500) {
        return makeError(Error::Code::Network,
                         tr("SSM is not answering GetParameter for '%1' right now, try again later (%2)").arg(name, detail));
    }
    return makeError(Error::Code::InvalidArgument, tr("SSM GetParameter for '%1' failed: %2").arg(name, detail));
}

} // namespace

SsmClient::SsmClient(AwsConfig config) : SsmClient(std::move(config), SsmClientOptions{}) {}

SsmClient::SsmClient(AwsConfig config, SsmClientOptions options)
    : m_config(config), m_options(options), m_sender(std::move(config), "ssm", SigV4Signer::PathStyle::Normalized, options.retry)
{
}

Result<QString> SsmClient::getParameter(const QString &name, bool withDecryption, const CancellationToken &token)
{
    if (name.trimmed().isEmpty())
        return makeError(Error::Code::InvalidArgument, tr("no SSM parameter name given"));
    if (name.size() > 2048)
        return makeError(Error::Code::InvalidArgument, tr("SSM parameter name is longer than 2048 characters"));
    const QByteArray region = m_config.signingRegion("ssm");
    AwsRequest request;
    request.method = "POST";
    request.endpoint = m_config.serviceEndpoint("ssm");
    request.path = "/";
    request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "AmazonSSM.GetParameter"}};
    const nlohmann::json body = {{"Name", name.toStdString()}, {"WithDecryption", withDecryption}};
    request.body = QByteArray::fromStdString(body.dump());
    request.timeout = m_options.timeout;

    auto answer = m_sender.send(request, classify, token);
    if (!answer) {
        if (answer.error().code == Error::Code::Network || answer.error().code == Error::Code::Timeout) {
            return makeError(answer.error().code,
                             tr("cannot reach SSM to read parameter '%1': %2").arg(name, answer.error().message));
        }
        return answer.error();
    }
    if (answer->status != 200)
        return answerError(name, region, *answer);
    try {
        const auto json = nlohmann::json::parse(answer->body.constData(), answer->body.constData() + answer->body.size());
        const auto &value = json.at("Parameter").at("Value");
        if (value.is_string())
            return QString::fromStdString(value.get<std::string>());
    } catch (const nlohmann::json::exception &) {
        // Reported below; the body may hold the secret, so it is not quoted.
    }
    return makeError(Error::Code::Corrupt,
                     tr("SSM answered GetParameter for '%1' with an unreadable body (no Parameter.Value)").arg(name));
}

} // namespace mt::aws
