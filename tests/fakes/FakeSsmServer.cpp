#include "FakeSsmServer.h"
#include "HeldResponder.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QRegularExpression>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace mt::fakes {

using json = nlohmann::json;

namespace {

QByteArray header(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers())
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

} // namespace

FakeSsmServer::FakeSsmServer(FakeSsmOptions options) : m_options(std::move(options)) {}

FakeSsmServer::~FakeSsmServer() { m_serverThread.stop(); } // before the state the handlers use goes

bool FakeSsmServer::start()
{
    return m_serverThread.start([this](QHttpServer &server) {
        server.route(QStringLiteral("/"), QHttpServerRequest::Method::Post,
                     [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                         handle(request, std::move(responder));
                     });
    });
}

QUrl FakeSsmServer::endpoint() const { return m_serverThread.url(); }

void FakeSsmServer::setParameter(const QString &name, const QString &value, const QString &type)
{
    std::lock_guard l(m_mutex);
    Parameter &p = m_parameters[name];
    p.version = p.value.isNull() ? 1 : p.version + 1;
    p.value = value;
    p.type = type;
}

void FakeSsmServer::queueFaults(const QList<SsmFault> &faults) { std::lock_guard l(m_mutex); m_faults += faults; }
void FakeSsmServer::setLatencyMs(int ms) { std::lock_guard l(m_mutex); m_options.latencyMs = ms; }
void FakeSsmServer::setExpectedSessionToken(const QByteArray &token) { std::lock_guard l(m_mutex); m_options.expectedSessionToken = token; }
int FakeSsmServer::getParameterCalls() const { std::lock_guard l(m_mutex); return m_getParameterCalls; }
QList<SsmCall> FakeSsmServer::calls() const { std::lock_guard l(m_mutex); return m_calls; }
QStringList FakeSsmServer::violations() const { std::lock_guard l(m_mutex); return m_violations; }

void FakeSsmServer::resetCounters()
{
    std::lock_guard l(m_mutex);
    m_getParameterCalls = 0;
    m_calls.clear();
    m_violations.clear();
}

void FakeSsmServer::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    Reply reply = answer(request);
    {
        std::lock_guard l(m_mutex);
        reply.delayMs += m_options.latencyMs;
    }
    send(std::move(responder), std::move(reply));
}

FakeSsmServer::Reply FakeSsmServer::error(int status, const QByteArray &type, const QString &message)
{
    // The namespace prefix is what the service really sends; clients must strip it.
    const json body = {{"__type", "com.amazonaws.ssm#" + type.toStdString()}, {"message", message.toStdString()}};
    return Reply{status, QByteArray::fromStdString(body.dump()), type, 0};
}

FakeSsmServer::Reply FakeSsmServer::answer(const QHttpServerRequest &request)
{
    std::lock_guard l(m_mutex);
    ++m_getParameterCalls;
    auto violation = [this](const QString &what) {
        m_violations << what;
    };

    SsmCall call;
    call.authorization = header(request, "Authorization");
    call.securityToken = header(request, "X-Amz-Security-Token");

    // Protocol checks, in the order AWS reports them.
    if (header(request, "X-Amz-Target") != "AmazonSSM.GetParameter") {
        violation(QStringLiteral("X-Amz-Target is '%1'").arg(QString::fromLatin1(header(request, "X-Amz-Target"))));
        m_calls << call;
        return error(400, "UnknownOperationException", QStringLiteral("unknown operation"));
    }
    if (!header(request, "Content-Type").startsWith("application/x-amz-json-1.1")) {
        violation(QStringLiteral("Content-Type is '%1'").arg(QString::fromLatin1(header(request, "Content-Type"))));
        m_calls << call;
        return error(400, "SerializationException", QStringLiteral("wrong content type"));
    }
    static const QRegularExpression authPattern(QStringLiteral(
        "^AWS4-HMAC-SHA256 Credential=([^/, ]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?"
        "SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$"));
    const auto auth = authPattern.match(QString::fromLatin1(call.authorization));
    if (!auth.hasMatch()) {
        violation(QStringLiteral("malformed Authorization: %1").arg(QString::fromLatin1(call.authorization.left(60))));
        m_calls << call;
        return error(400, "IncompleteSignature", QStringLiteral("Authorization header requires Credential, SignedHeaders and Signature"));
    }
    const QByteArray amzDate = header(request, "X-Amz-Date");
    const QDateTime signedAt = QDateTime::fromString(QString::fromLatin1(amzDate), QStringLiteral("yyyyMMddTHHmmssZ"));
    QDateTime signedUtc(signedAt.date(), signedAt.time(), Qt::UTC);
    if (!signedAt.isValid() || qAbs(signedUtc.secsTo(QDateTime::currentDateTimeUtc())) > 15 * 60
        || auth.captured(2) != QString::fromLatin1(amzDate.left(8))) {
        violation(QStringLiteral("x-amz-date '%1' missing, skewed or not the scope's date").arg(QString::fromLatin1(amzDate)));
        m_calls << call;
        return error(400, "InvalidSignatureException", QStringLiteral("Signature expired or date mismatch"));
    }
    if (auth.captured(3) != QString::fromLatin1(m_options.region) || auth.captured(4) != u"ssm") {
        violation(QStringLiteral("credential scope %1/%2 instead of %3/ssm")
                      .arg(auth.captured(3), auth.captured(4), QString::fromLatin1(m_options.region)));
        m_calls << call;
        return error(400, "InvalidSignatureException", QStringLiteral("Credential should be scoped to a valid region"));
    }
    const QStringList signedHeaders = auth.captured(5).split(u';');
    QStringList required{QStringLiteral("content-type"), QStringLiteral("host"), QStringLiteral("x-amz-date"),
                         QStringLiteral("x-amz-target")};
    if (!call.securityToken.isEmpty())
        required << QStringLiteral("x-amz-security-token");
    for (const QString &name : required) {
        if (!signedHeaders.contains(name)) {
            violation(QStringLiteral("%1 is not signed (SignedHeaders=%2)").arg(name, auth.captured(5)));
            m_calls << call;
            return error(400, "InvalidSignatureException", QStringLiteral("header %1 must be signed").arg(name));
        }
    }
    if (!m_options.expectedAccessKeyId.isEmpty() && auth.captured(1) != QString::fromLatin1(m_options.expectedAccessKeyId)) {
        m_calls << call;
        return error(400, "UnrecognizedClientException", QStringLiteral("The security token included in the request is invalid."));
    }
    if (!m_options.expectedSessionToken.isEmpty() && call.securityToken != m_options.expectedSessionToken) {
        violation(call.securityToken.isEmpty() ? QStringLiteral("no x-amz-security-token sent")
                                               : QStringLiteral("x-amz-security-token is not the configured one"));
        m_calls << call;
        return error(400, "UnrecognizedClientException", QStringLiteral("The security token included in the request is invalid."));
    }

    json body;
    try {
        body = json::parse(request.body().constData(), request.body().constData() + request.body().size());
    } catch (const json::exception &) {
        violation(QStringLiteral("body is not JSON"));
        m_calls << call;
        return error(400, "SerializationException", QStringLiteral("body is not JSON"));
    }
    if (!body.is_object() || !body.contains("Name") || !body["Name"].is_string()
        || (body.contains("WithDecryption") && !body["WithDecryption"].is_boolean())) {
        violation(QStringLiteral("body lacks a string Name or has a non-boolean WithDecryption"));
        m_calls << call;
        return error(400, "ValidationException", QStringLiteral("1 validation error detected"));
    }
    call.name = QString::fromStdString(body["Name"].get<std::string>());
    call.withDecryption = body.value("WithDecryption", false);
    m_calls << call;

    const SsmFault fault = m_faults.isEmpty() ? SsmFault::None : m_faults.takeFirst();
    const auto it = m_parameters.constFind(call.name);
    switch (fault) {
    case SsmFault::ParameterNotFound:
        return error(400, "ParameterNotFound", QString());
    case SsmFault::Throttling:
        return error(400, "ThrottlingException", QStringLiteral("Rate exceeded"));
    case SsmFault::InternalError:
        return error(500, "InternalServerError", QStringLiteral("An internal error occurred"));
    case SsmFault::AccessDenied:
        return error(400, "AccessDeniedException",
                     QStringLiteral("User: arn:aws:sts::123456789012:assumed-role/fn is not authorized to perform: "
                                    "ssm:GetParameter on resource: %1").arg(call.name));
    case SsmFault::ExpiredToken:
        return error(400, "ExpiredTokenException", QStringLiteral("The security token included in the request is expired"));
    case SsmFault::GarbageBody:
        return Reply{200, "<html>" + (it != m_parameters.cend() ? it->value.toUtf8() : QByteArray()) + " oops", {}, 0};
    case SsmFault::Delay:
    case SsmFault::None:
        break;
    }
    if (it == m_parameters.cend())
        return error(400, "ParameterNotFound", QString());

    // A SecureString read without decryption yields the ciphertext, as on AWS.
    const bool encrypted = it->type == u"SecureString" && !call.withDecryption;
    const QString value = encrypted ? QStringLiteral("AQICAHh-ciphertext-%1").arg(it->version) : it->value;
    const json parameter = {{"Parameter",
                             {{"Name", call.name.toStdString()},
                              {"Type", it->type.toStdString()},
                              {"Value", value.toStdString()},
                              {"Version", it->version},
                              {"LastModifiedDate", 1789899302.117},
                              {"ARN", "arn:aws:ssm:" + m_options.region.toStdString() + ":123456789012:parameter"
                                          + (call.name.startsWith(u'/') ? "" : "/") + call.name.toStdString()},
                              {"DataType", "text"}}}};
    return Reply{200, QByteArray::fromStdString(parameter.dump()), {}, fault == SsmFault::Delay ? m_options.delayMs : 0};
}

void FakeSsmServer::send(QHttpServerResponder &&responder, Reply reply)
{
    HeldResponder held(std::move(responder));
    auto write = [held, reply] {
        QHttpServerResponder *out = held.live();
        if (!out)
            return; // the client hung up during the delay
        out->writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
        out->writeHeader("Content-Type", "application/x-amz-json-1.1");
        out->writeHeader("x-amzn-RequestId", "5b1d5c8f-0000-4000-8000-000000000000");
        if (!reply.errorType.isEmpty())
            out->writeHeader("x-amzn-ErrorType", reply.errorType + ":http://internal.amazon.com/coral/com.amazonaws.ssm/");
        out->writeHeader("Content-Length", QByteArray::number(reply.body.size()));
        out->writeBody(reply.body);
    };
    if (reply.delayMs > 0)
        QTimer::singleShot(reply.delayMs, m_serverThread.context(), write);
    else
        write();
}

} // namespace mt::fakes
