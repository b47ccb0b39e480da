#pragma once

#include "aws/AwsConfig.h"
#include "aws/AwsRetry.h"
#include "aws/SigV4Signer.h"
#include "common/Cancellation.h"
#include "common/Result.h"
#include "net/HttpTransport.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>

namespace mt::aws {

// One AWS API request before signing. `path` and `query` are plain UTF-8 (not encoded); the
// sender encodes them by the SigV4 rules so that the request line and the signature agree.
struct AwsRequest {
    QByteArray method = "GET";
    QUrl endpoint;         // scheme, host, optional port and base path
    QByteArray path = "/"; // appended to the endpoint's path
    QList<KeyValue> query;
    QList<KeyValue> headers; // besides Host, x-amz-date, x-amz-security-token, Authorization
    QList<KeyValue> unsignedHeaders; // sent but not signed (ones a proxy may rewrite)
    QByteArray body;
    QString bodyFile;      // streamed upload instead of `body`
    QString responseFile;  // streamed 2xx download
    QByteArray payloadHash; // empty: SHA-256 of `body` (or of `bodyFile`, in one streaming pass)
    bool s3ContentSha256Header = false; // S3 wants the payload hash as x-amz-content-sha256 too
    bool idempotent = true;  // transport failures are retried only for idempotent requests
    std::chrono::milliseconds timeout{30000};
};

// Retry and timeout of a client whose calls are small (SSM, Lambda Invoke).
struct AwsCallOptions {
    RetryPolicy retry = awsRetryPolicy();
    std::chrono::milliseconds timeout{10000};
};

// What a complete HTTP answer means for the retry loop.
enum class AnswerDisposition {
    Final,              // success or a permanent error: hand it to the caller
    Retry,              // throttled or a server error: back off and try again
    RefreshCredentials, // the token expired: re-read credentials and retry once
};
using AnswerClassifier = std::function<AnswerDisposition(const net::HttpAnswer &)>;

// The exact HTTP exchange for a request signed with the given credentials at `time`; pure, for tests.
struct BuiltCall {
    net::HttpCall call;
    SignedRequest signature;
};
BuiltCall buildSignedCall(const AwsRequest &request, const AwsCredentials &credentials, const QByteArray &region,
                          const QByteArray &service, SigV4Signer::PathStyle pathStyle, const QDateTime &time);

// The request line's encoded path (endpoint base path + UriEncode of every segment).
QByteArray encodedRequestPath(const QUrl &endpoint, const QByteArray &path);
// "host" or "host:port" as it goes into the Host header (port only when not the scheme default).
QByteArray hostHeader(const QUrl &endpoint);

// Lower-case hex SHA-256 and base64 MD5 of a file, in one streaming pass.
struct FileDigests {
    QByteArray sha256Hex;
    QByteArray md5Base64;
    qint64 size = 0;
};
Result<FileDigests> digestFile(const QString &path, const CancellationToken &token = {});

// Signs each attempt with freshly read credentials, sends it, and retries by the policy. One
// instance per thread (it owns an HttpTransport).
class AwsRequestSender {
public:
    AwsRequestSender(AwsConfig config, QByteArray service, SigV4Signer::PathStyle pathStyle,
                     RetryPolicy retry = awsRetryPolicy());

    // The final answer (any HTTP status: the caller maps statuses to errors), or a transport,
    // credentials or cancellation error once retries are used up.
    Result<net::HttpAnswer> send(const AwsRequest &request, const AnswerClassifier &classify,
                                 const CancellationToken &token = {});

    const AwsConfig &config() const { return m_config; }
    const RetryPolicy &retryPolicy() const { return m_retry; }
    void setRetryPolicy(RetryPolicy retry) { m_retry = retry; }
    // Attempts made by the last send() (for tests and logs).
    int lastAttempts() const { return m_lastAttempts; }

private:
    AwsConfig m_config;
    QByteArray m_service;
    SigV4Signer::PathStyle m_pathStyle;
    RetryPolicy m_retry;
    net::HttpTransport m_transport;
    int m_lastAttempts = 0;
};

} // namespace mt::aws
