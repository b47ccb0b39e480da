#pragma once

#include "ServerThread.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <mutex>

class QObject;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace mt::fakes {

// What a GetParameter call answers instead of the stored parameter.
enum class SsmFault {
    None,
    ParameterNotFound, // 400 ParameterNotFound, also for a name that is not stored
    Throttling,        // 400 ThrottlingException (retryable)
    InternalError,     // 500 InternalServerError (retryable)
    AccessDenied,      // 400 AccessDeniedException
    ExpiredToken,      // 400 ExpiredTokenException
    GarbageBody,       // 200 with a body that is not JSON (and contains the value, to catch leaks)
    Delay,             // answers normally after FakeSsmOptions::delayMs
};

struct FakeSsmOptions {
    QByteArray region = "us-east-1";
    QByteArray expectedAccessKeyId;  // empty: any
    QByteArray expectedSessionToken; // set: x-amz-security-token must carry exactly this
    int delayMs = 2000;              // for SsmFault::Delay
    int latencyMs = 0;               // added to every answer (cold-start benchmarks)
};

// One GetParameter request as the fake saw it.
struct SsmCall {
    QString name;
    bool withDecryption = false;
    QByteArray securityToken;
    QByteArray authorization;
};

// In-process stand-in for SSM Parameter Store's GetParameter (AWS JSON 1.1 over HTTP), on its own
// thread like FakeGeminiServer. It checks each request as far as it can without the secret key:
// POST /, X-Amz-Target AmazonSSM.GetParameter, Content-Type application/x-amz-json-1.1, an
// Authorization header with Credential (scope <date>/<region>/ssm/aws4_request), SignedHeaders
// (host, x-amz-date, x-amz-target, content-type and the token when one is sent) and a 64-hex
// Signature, x-amz-date within 15 minutes, and the session token when configured. Breaches are
// answered like AWS would (400 IncompleteSignature / InvalidSignatureException /
// UnrecognizedClientException) and recorded in violations().
class FakeSsmServer {
public:
    explicit FakeSsmServer(FakeSsmOptions options = {});
    ~FakeSsmServer();
    FakeSsmServer(const FakeSsmServer &) = delete;
    FakeSsmServer &operator=(const FakeSsmServer &) = delete;

    bool start();
    QUrl endpoint() const; // for AWS_ENDPOINT_URL_SSM

    void setParameter(const QString &name, const QString &value, const QString &type = QStringLiteral("SecureString"));
    // Applied to the next GetParameter calls, one each, in order.
    void queueFaults(const QList<SsmFault> &faults);
    void setLatencyMs(int ms);
    void setExpectedSessionToken(const QByteArray &token);

    int getParameterCalls() const; // every POST that reached the fake, answered or not
    QList<SsmCall> calls() const;
    QStringList violations() const;
    void resetCounters();

private:
    struct Reply {
        int status = 200;
        QByteArray body;
        QByteArray errorType; // x-amzn-ErrorType
        int delayMs = 0;
    };
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    Reply answer(const QHttpServerRequest &request);
    Reply error(int status, const QByteArray &type, const QString &message);
    void send(QHttpServerResponder &&responder, Reply reply);

    FakeSsmOptions m_options;
    ServerThread m_serverThread{QStringLiteral("fake-ssm")};

    mutable std::mutex m_mutex;
    struct Parameter {
        QString value;
        QString type;
        int version = 1;
    };
    QHash<QString, Parameter> m_parameters;
    QList<SsmFault> m_faults;
    QList<SsmCall> m_calls;
    QStringList m_violations;
    int m_getParameterCalls = 0;
};

} // namespace mt::fakes
