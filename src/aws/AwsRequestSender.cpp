#include "aws/AwsRequestSender.h"

#include "aws/Crypto.h"
#include "net/CancellableSleep.h"
#include "net/RetryAfter.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>

namespace mt::aws {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Aws", text); }

int defaultPort(const QUrl &url) { return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80; }

// The endpoint's own path (for endpoints like http://host:port/prefix), without a trailing slash.
QByteArray basePath(const QUrl &endpoint)
{
    QByteArray base = endpoint.path(QUrl::FullyDecoded).toUtf8();
    while (base.endsWith('/'))
        base.chop(1);
    return base;
}

QByteArray rawPath(const QUrl &endpoint, const QByteArray &path)
{
    return basePath(endpoint) + (path.startsWith('/') ? path : '/' + path);
}

} // namespace

QByteArray hostHeader(const QUrl &endpoint)
{
    QByteArray host = endpoint.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    const int port = endpoint.port();
    if (port != -1 && port != defaultPort(endpoint))
        host += ':' + QByteArray::number(port);
    return host;
}

QByteArray encodedRequestPath(const QUrl &endpoint, const QByteArray &path)
{
    return SigV4Signer::uriEncode(rawPath(endpoint, path), true);
}

BuiltCall buildSignedCall(const AwsRequest &request, const AwsCredentials &credentials, const QByteArray &region,
                          const QByteArray &service, SigV4Signer::PathStyle pathStyle, const QDateTime &time)
{
    const QByteArray host = hostHeader(request.endpoint);
    const QByteArray requestPath = encodedRequestPath(request.endpoint, request.path);

    SignableRequest signable;
    signable.method = request.method;
    // S3 signs the key as sent (encoded once); the other services encode the request-line path
    // again (aws-sigv4-s3-ssm.md §1.2), which the signer does to what it is given.
    signable.path = pathStyle == SigV4Signer::PathStyle::S3 ? rawPath(request.endpoint, request.path) : requestPath;
    signable.query = request.query;
    signable.payloadHash = request.payloadHash.isEmpty() ? sha256Hex(request.body) : request.payloadHash;
    signable.headers.append(KeyValue{"Host", host});
    signable.headers.append(request.headers);
    if (request.s3ContentSha256Header)
        signable.headers.append(KeyValue{"x-amz-content-sha256", signable.payloadHash});

    const SigV4Signer signer(credentials, region, service, pathStyle);
    signable = signer.withSecurityHeaders(signable, time);

    BuiltCall built;
    built.signature = signer.sign(signable, time);

    QByteArrayList query;
    for (const auto &[name, value] : request.query)
        query << SigV4Signer::uriEncode(name, false) + '=' + SigV4Signer::uriEncode(value, false);
    QByteArray url = request.endpoint.scheme().toLatin1() + "://" + host + requestPath;
    if (!query.isEmpty())
        url += '?' + query.join('&');
    // Already encoded by the SigV4 rules; StrictMode keeps every escape as it is (checked on the
    // wire by tst_s3_client).
    built.call.url = QUrl::fromEncoded(url, QUrl::StrictMode);
    built.call.method = request.method;
    built.call.headers = signable.headers;
    built.call.headers.append(request.unsignedHeaders);
    built.call.headers.append(KeyValue{"Authorization", built.signature.authorization});
    built.call.body = request.body;
    built.call.bodyFile = request.bodyFile;
    built.call.responseFile = request.responseFile;
    built.call.timeout = request.timeout;
    return built;
}

Result<FileDigests> digestFile(const QString &path, const CancellationToken &token)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, tr("cannot read %1: %2").arg(path, file.errorString()));
    QCryptographicHash sha(QCryptographicHash::Sha256);
    QCryptographicHash md5(QCryptographicHash::Md5);
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    FileDigests digests;
    for (;;) {
        if (token.isCancelled())
            return makeError(Error::Code::Cancelled, tr("cancelled"));
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return makeError(Error::Code::Io, tr("cannot read %1: %2").arg(path, file.errorString()));
        if (n == 0)
            break;
        const QByteArrayView chunk(buffer.constData(), n);
        sha.addData(chunk);
        md5.addData(chunk);
        digests.size += n;
    }
    digests.sha256Hex = sha.result().toHex();
    digests.md5Base64 = md5.result().toBase64();
    return digests;
}

AwsRequestSender::AwsRequestSender(AwsConfig config, QByteArray service, SigV4Signer::PathStyle pathStyle, RetryPolicy retry)
    : m_config(std::move(config)), m_service(std::move(service)), m_pathStyle(pathStyle), m_retry(retry)
{
}

Result<net::HttpAnswer> AwsRequestSender::send(const AwsRequest &input, const AnswerClassifier &classify,
                                                const CancellationToken &token)
{
    m_lastAttempts = 0;
    const QByteArray region = m_config.signingRegion(m_service);
    if (region.isEmpty()) {
        return makeError(Error::Code::InvalidArgument,
                         tr("no AWS region configured: set AWS_REGION (or `region` in the AWS profile)"));
    }
    AwsRequest request = input;
    if (request.payloadHash.isEmpty()) {
        if (!request.bodyFile.isEmpty()) {
            auto digests = digestFile(request.bodyFile, token);
            if (!digests)
                return digests.error();
            request.payloadHash = digests->sha256Hex;
        } else {
            request.payloadHash = sha256Hex(request.body);
        }
    }

    bool refreshedCredentials = false;
    bool retriedTimeout = false;
    for (;;) {
        if (token.isCancelled())
            return makeError(Error::Code::Cancelled, tr("cancelled"));
        ++m_lastAttempts;
        // Re-read for every attempt: Lambda's role credentials are temporary.
        const auto credentials = m_config.credentials();
        if (!credentials)
            return credentials.error();
        const BuiltCall built = buildSignedCall(request, *credentials, region, m_service, m_pathStyle,
                                                QDateTime::currentDateTimeUtc());
        auto answer = m_transport.send(built.call, token);
        net::FailedAttempt failure;
        if (!answer) {
            const Error::Code code = answer.error().code;
            // A stalled server already cost a whole timeout; one more try is enough.
            failure.transient = request.idempotent
                && (code == Error::Code::Network || (code == Error::Code::Timeout && !retriedTimeout));
            retriedTimeout = retriedTimeout || (failure.transient && code == Error::Code::Timeout);
        } else {
            switch (classify ? classify(*answer) : AnswerDisposition::Final) {
            case AnswerDisposition::Final:
                return answer;
            case AnswerDisposition::RefreshCredentials:
                if (refreshedCredentials)
                    return answer;
                refreshedCredentials = true;
                continue;
            case AnswerDisposition::Retry:
                failure.transient = true;
                failure.retryAfter = net::retryAfterHeader(*answer);
                break;
            }
        }
        const net::RetryDecision decision = m_retry.decide(m_lastAttempts, failure);
        if (!decision.retry())
            return answer;
        if (!net::sleepCancellable(decision.delay, token))
            return makeError(Error::Code::Cancelled, tr("cancelled"));
    }
}

} // namespace mt::aws
