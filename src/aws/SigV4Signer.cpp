#include "aws/SigV4Signer.h"

#include "aws/Crypto.h"

#include <QMap>
#include <QRegularExpression>

#include <algorithm>

namespace mt::aws {

namespace {

QByteArray canonicalQuery(QList<KeyValue> query)
{
    for (auto &[name, value] : query) {
        name = SigV4Signer::uriEncode(name, false);
        value = SigV4Signer::uriEncode(value, false);
    }
    // Byte order of the encoded names, then values: upper case sorts before lower case.
    std::sort(query.begin(), query.end());
    QByteArrayList parts;
    for (const auto &[name, value] : query)
        parts << name + '=' + value;
    return parts.join('&');
}

// Lower-case names; values trimmed with inner runs of spaces collapsed; repeated names joined
// with commas in the order they appear; sorted by name.
QMap<QByteArray, QByteArray> canonicalHeaders(const QList<KeyValue> &headers)
{
    QMap<QByteArray, QByteArray> map;
    for (const auto &[name, value] : headers) {
        const QByteArray key = name.trimmed().toLower();
        const QByteArray clean = value.simplified();
        auto it = map.find(key);
        if (it == map.end())
            map.insert(key, clean);
        else
            it.value() += ',' + clean;
    }
    return map;
}

// RFC 3986 dot-segment removal plus collapsing of empty segments, as SigV4 asks of non-S3 services.
QByteArray normalizePath(const QByteArray &path)
{
    QByteArrayList out;
    for (const QByteArray &segment : path.split('/')) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!out.isEmpty())
                out.removeLast();
            continue;
        }
        out << segment;
    }
    QByteArray result = '/' + out.join('/');
    if (path.endsWith('/') && result.size() > 1)
        result += '/';
    return result;
}

} // namespace

SigV4Signer::SigV4Signer(AwsCredentials credentials, QByteArray region, QByteArray service, PathStyle pathStyle)
    : m_credentials(std::move(credentials)), m_region(std::move(region)), m_service(std::move(service)),
      m_pathStyle(pathStyle)
{
}

QByteArray SigV4Signer::uriEncode(QByteArrayView bytes, bool keepSlash)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == '~' || (keepSlash && c == '/')) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

QByteArray SigV4Signer::amzDate(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMddTHHmmssZ")).toLatin1();
}

QByteArray SigV4Signer::canonicalUri(const QByteArray &path) const
{
    const QByteArray p = path.isEmpty() ? QByteArray("/") : path;
    return uriEncode(m_pathStyle == PathStyle::S3 ? p : normalizePath(p), true);
}

QByteArray SigV4Signer::credentialScope(const QDateTime &time) const
{
    return amzDate(time).left(8) + '/' + m_region + '/' + m_service + "/aws4_request";
}

QByteArray SigV4Signer::signingKey(const QDateTime &time) const
{
    const QByteArray date = hmacSha256("AWS4" + m_credentials.secretAccessKey, amzDate(time).left(8));
    const QByteArray region = hmacSha256(date, m_region);
    const QByteArray service = hmacSha256(region, m_service);
    return hmacSha256(service, "aws4_request");
}

SignableRequest SigV4Signer::withSecurityHeaders(SignableRequest request, const QDateTime &time) const
{
    request.headers.append(KeyValue{"x-amz-date", amzDate(time)});
    if (!m_credentials.sessionToken.isEmpty())
        request.headers.append(KeyValue{"x-amz-security-token", m_credentials.sessionToken});
    return request;
}

SignedRequest SigV4Signer::sign(const SignableRequest &request, const QDateTime &time) const
{
    const auto headers = canonicalHeaders(request.headers);
    QByteArray headerBlock;
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        headerBlock += it.key() + ':' + it.value() + '\n';
    SignedRequest out;
    out.signedHeaders = headers.keys().join(';');
    out.canonicalRequest = request.method + '\n' + canonicalUri(request.path) + '\n' + canonicalQuery(request.query)
        + '\n' + headerBlock + '\n' + out.signedHeaders + '\n' + request.payloadHash;
    const QByteArray scope = credentialScope(time);
    out.stringToSign = "AWS4-HMAC-SHA256\n" + amzDate(time) + '\n' + scope + '\n' + sha256Hex(out.canonicalRequest);
    out.signature = hmacSha256(signingKey(time), out.stringToSign).toHex();
    out.authorization = "AWS4-HMAC-SHA256 Credential=" + m_credentials.accessKeyId + '/' + scope
        + ", SignedHeaders=" + out.signedHeaders + ", Signature=" + out.signature;
    return out;
}

QByteArray SigV4Signer::presignUrl(const QByteArray &method, const QByteArray &scheme, const QByteArray &host,
                                   const QByteArray &path, QList<KeyValue> query,
                                   int expiresSeconds, const QDateTime &time,
                                   const QList<KeyValue> &extraSignedHeaders) const
{
    QList<KeyValue> headers{{"host", host}};
    headers.append(extraSignedHeaders);
    query.append(KeyValue{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"});
    query.append(KeyValue{"X-Amz-Credential", m_credentials.accessKeyId + '/' + credentialScope(time)});
    query.append(KeyValue{"X-Amz-Date", amzDate(time)});
    query.append(KeyValue{"X-Amz-Expires", QByteArray::number(std::clamp(expiresSeconds, 1, 604800))});
    query.append(KeyValue{"X-Amz-SignedHeaders", canonicalHeaders(headers).keys().join(';')});
    if (!m_credentials.sessionToken.isEmpty())
        query.append(KeyValue{"X-Amz-Security-Token", m_credentials.sessionToken});
    SignableRequest request{method, path, query, headers, "UNSIGNED-PAYLOAD"};
    const SignedRequest signedRequest = sign(request, time);
    return scheme + "://" + host + canonicalUri(path) + '?' + canonicalQuery(query)
        + "&X-Amz-Signature=" + signedRequest.signature;
}

} // namespace mt::aws
