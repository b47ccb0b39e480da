#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace mt::aws {

using KeyValue = QPair<QByteArray, QByteArray>;

struct AwsCredentials {
    QByteArray accessKeyId;
    QByteArray secretAccessKey;
    QByteArray sessionToken; // empty for long-term keys
};

// A request as the signer sees it. `path` and `query` are *not* URI-encoded (UTF-8); the
// signer encodes them by the SigV4 rules, which differ from generic URL encoders.
struct SignableRequest {
    QByteArray method;
    QByteArray path = "/";
    QList<KeyValue> query;
    QList<KeyValue> headers; // must include Host; order kept for duplicates
    QByteArray payloadHash; // lower-case hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

struct SignedRequest {
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signedHeaders;
    QByteArray signature;
    QByteArray authorization; // value of the Authorization header
};

// AWS Signature Version 4. S3 signs object keys exactly as they are (no path normalisation,
// every segment encoded once); other services (SSM) normalise the path first.
class SigV4Signer {
public:
    enum class PathStyle { S3, Normalized };

    SigV4Signer(AwsCredentials credentials, QByteArray region, QByteArray service, PathStyle pathStyle);

    // Header-signed form. Add the session token header yourself (x-amz-security-token) when
    // there is one, so it is signed; see withSecurityHeaders().
    SignedRequest sign(const SignableRequest &request, const QDateTime &time) const;

    // x-amz-date (and x-amz-security-token with temporary credentials) added to the headers.
    SignableRequest withSecurityHeaders(SignableRequest request, const QDateTime &time) const;

    // Query-string-signed URL (S3 pre-signed URL), valid for `expiresSeconds` (1..604800).
    // `extraSignedHeaders` (e.g. content-type for an upload URL) are signed besides host; whoever
    // uses the URL must then send exactly these header values.
    QByteArray presignUrl(const QByteArray &method, const QByteArray &scheme, const QByteArray &host,
                          const QByteArray &path, QList<KeyValue> query, int expiresSeconds,
                          const QDateTime &time, const QList<KeyValue> &extraSignedHeaders = {}) const;

    static QByteArray uriEncode(QByteArrayView bytes, bool keepSlash);
    static QByteArray amzDate(const QDateTime &time);

private:
    QByteArray canonicalUri(const QByteArray &path) const;
    QByteArray credentialScope(const QDateTime &time) const;
    QByteArray signingKey(const QDateTime &time) const;

    AwsCredentials m_credentials;
    QByteArray m_region;
    QByteArray m_service;
    PathStyle m_pathStyle;
};

} // namespace mt::aws
