#include "aws/S3Client.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace mt::aws {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("S3", text); }

QString target(const QString &bucket, const QString &key = {})
{
    return key.isEmpty() ? QStringLiteral("s3://%1").arg(bucket) : QStringLiteral("s3://%1/%2").arg(bucket, key);
}

bool isSuccess(int status) { return status / 100 == 2; }

// Throttling and server trouble are retried; an expired session token is refreshed once.
AnswerDisposition classify(const net::HttpAnswer &answer)
{
    if (answer.status >= 500 && answer.status != 501)
        return AnswerDisposition::Retry;
    if (answer.status == 400 || answer.status == 403) {
        const QString code = s3::parseError(answer.body).code;
        if (code == u"RequestTimeout")
            return AnswerDisposition::Retry;
        if (code == u"ExpiredToken" || code == u"TokenRefreshRequired")
            return AnswerDisposition::RefreshCredentials;
    }
    return AnswerDisposition::Final;
}

// An S3 error answer as an Error a person can act on.
Error answerError(const char *operation, const QString &what, const net::HttpAnswer &answer)
{
    const s3::ErrorDocument doc = s3::parseError(answer.body);
    Error::Code code = Error::Code::Internal;
    if (answer.status == 404 || doc.code == u"NoSuchKey" || doc.code == u"NoSuchBucket")
        code = Error::Code::NotFound;
    else if (answer.status == 403)
        code = Error::Code::PermissionDenied;
    else if (answer.status >= 500 || doc.code == u"RequestTimeout")
        code = Error::Code::Network;
    else if (answer.status == 400 || answer.status == 416)
        code = Error::Code::InvalidArgument;

    QString detail;
    if (!doc.code.isEmpty())
        detail = doc.message.isEmpty() ? doc.code : doc.code + QStringLiteral(": ") + doc.message;
    else if (answer.status == 404)
        detail = tr("not found (no such key, or no such bucket)");
    else if (answer.status == 403)
        detail = tr("access denied (check the IAM policy and that the object exists)");
    else
        detail = tr("unexpected answer");
    if (doc.code == u"PermanentRedirect" || doc.code == u"AuthorizationHeaderMalformed") {
        const QByteArray region = answer.headers.value("x-amz-bucket-region");
        if (!region.isEmpty())
            detail += tr(" (the bucket is in %1: set AWS_REGION to it)").arg(QString::fromLatin1(region));
    }
    return makeError(code, tr("S3 %1 %2 failed: %3 (HTTP %4)")
                               .arg(QString::fromLatin1(operation), what, detail)
                               .arg(answer.status));
}

Error transportError(const char *operation, const QString &what, const Error &error)
{
    if (error.code == Error::Code::Cancelled || error.code == Error::Code::Io || error.code == Error::Code::InvalidArgument
        || error.code == Error::Code::PermissionDenied)
        return error;
    return makeError(error.code, tr("S3 %1 %2 failed: %3").arg(QString::fromLatin1(operation), what, error.message));
}

Status validate(const QString &bucket, const QString &key)
{
    if (auto ok = s3::validateBucket(bucket); !ok)
        return ok;
    return s3::validateKey(key);
}

Status validateMetadata(const QHash<QByteArray, QByteArray> &metadata)
{
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it) {
        const bool nameOk = !it.key().isEmpty() && std::all_of(it.key().cbegin(), it.key().cend(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
        const bool valueOk = std::all_of(it.value().cbegin(), it.value().cend(), [](char c) { return c >= 0x20 && c < 0x7f; });
        if (!nameOk || !valueOk) {
            return makeError(Error::Code::InvalidArgument,
                             tr("S3 metadata '%1' needs a name of a-z, 0-9, '-' or '_' and a printable ASCII value")
                                 .arg(QString::fromUtf8(it.key())));
        }
    }
    return Done{};
}

} // namespace

S3Client::S3Client(AwsConfig config) : S3Client(std::move(config), S3ClientOptions{}) {}

S3Client::S3Client(AwsConfig config, S3ClientOptions options)
    : m_config(config), m_options(options), m_sender(std::move(config), "s3", SigV4Signer::PathStyle::S3, options.retry)
{
    m_options.listPageSize = std::clamp(m_options.listPageSize, 1, 1000);
    m_options.deleteBatchSize = std::clamp(m_options.deleteBatchSize, 1, s3::kMaxDeleteBatch);
}

s3::Address S3Client::addressOf(const QString &bucket, const QString &key) const
{
    return s3::address(bucket, key, m_config.signingRegion("s3"), m_config.endpointOverride("s3"));
}

AwsRequest S3Client::request(const QByteArray &method, const QString &bucket, const QString &key,
                             std::chrono::milliseconds timeout) const
{
    const s3::Address where = addressOf(bucket, key);
    AwsRequest request;
    request.method = method;
    request.endpoint = where.endpoint;
    request.path = where.path;
    request.timeout = timeout;
    request.s3ContentSha256Header = true;
    // Objects are transferred as stored: without this Qt asks for gzip and silently inflates
    // objects stored with Content-Encoding: gzip.
    request.unsignedHeaders.append(KeyValue{"Accept-Encoding", "identity"});
    return request;
}

Result<net::HttpAnswer> S3Client::send(const AwsRequest &request, const CancellationToken &token)
{
    return m_sender.send(request, classify, token);
}

Result<net::HttpAnswer> S3Client::exchange(const char *operation, const QString &what, const AwsRequest &request,
                                           const CancellationToken &token)
{
    auto answer = send(request, token);
    if (!answer)
        return transportError(operation, what, answer.error());
    if (!isSuccess(answer->status))
        return answerError(operation, what, *answer);
    return answer;
}

Result<S3Head> S3Client::headObject(const QString &bucket, const QString &key, const CancellationToken &token)
{
    if (auto ok = validate(bucket, key); !ok)
        return ok.error();
    auto answer = exchange("HeadObject", target(bucket, key), request("HEAD", bucket, key, m_options.requestTimeout), token);
    if (!answer)
        return answer.error();
    return s3::headFromHeaders(answer->headers);
}

Result<qint64> S3Client::getObjectToFile(const QString &bucket, const QString &key, const QString &localPath,
                                         const CancellationToken &token)
{
    if (auto ok = validate(bucket, key); !ok)
        return ok.error();
    if (localPath.isEmpty())
        return makeError(Error::Code::InvalidArgument, tr("no local file given for %1").arg(target(bucket, key)));
    AwsRequest get = request("GET", bucket, key, m_options.transferTimeout);
    get.responseFile = localPath;
    auto answer = exchange("GetObject", target(bucket, key), get, token);
    if (!answer)
        return answer.error();
    return answer->bytesWritten;
}

Result<QByteArray> S3Client::getObject(const QString &bucket, const QString &key, qint64 maxBytes,
                                       const CancellationToken &token)
{
    // The size first, so an unexpectedly large object is refused without being transferred (and
    // an empty one needs no ranged GET, which s3rver answers with a body it never sends).
    auto head = headObject(bucket, key, token);
    if (!head) {
        Error error = head.error();
        error.message.replace(QStringLiteral("S3 HeadObject"), QStringLiteral("S3 GetObject"));
        return error;
    }
    const auto tooLarge = [&](qint64 size) {
        return makeError(Error::Code::InvalidArgument, tr("%1 is %2 bytes, more than the %3 bytes read into memory")
                                                           .arg(target(bucket, key))
                                                           .arg(size)
                                                           .arg(maxBytes));
    };
    if (head->size > maxBytes)
        return tooLarge(head->size);
    if (head->size == 0)
        return QByteArray();

    AwsRequest get = request("GET", bucket, key, m_options.requestTimeout);
    // Bounded even if the object was replaced by a larger one since the HEAD: one byte more than
    // allowed, and a 206 tells the whole size.
    get.headers.append(KeyValue{"Range", "bytes=0-" + QByteArray::number(maxBytes)});
    auto answer = send(get, token);
    if (!answer)
        return transportError("GetObject", target(bucket, key), answer.error());
    if (answer->status == 416)
        return QByteArray(); // emptied since the HEAD: a range from byte 0 fits only a non-empty object
    if (!isSuccess(answer->status))
        return answerError("GetObject", target(bucket, key), *answer);
    qint64 total = answer->body.size();
    if (answer->status == 206) {
        const QByteArray range = answer->headers.value("content-range");
        const qsizetype slash = range.lastIndexOf('/');
        bool ok = false;
        const qint64 size = slash < 0 ? -1 : range.mid(slash + 1).trimmed().toLongLong(&ok);
        if (ok)
            total = size;
    }
    if (total > maxBytes)
        return tooLarge(total);
    return answer->body;
}

Status S3Client::putObject(const QString &bucket, const QString &key, const QByteArray &body, const QByteArray &contentType,
                           const CancellationToken &token)
{
    return putObject(bucket, key, body, contentType, {}, token);
}

Status S3Client::putObject(const QString &bucket, const QString &key, const QByteArray &body, const QByteArray &contentType,
                           const QHash<QByteArray, QByteArray> &metadata, const CancellationToken &token)
{
    return putRequest(bucket, key, bodyPut(bucket, key, body), contentType, metadata, token);
}

AwsRequest S3Client::bodyPut(const QString &bucket, const QString &key, const QByteArray &body) const
{
    AwsRequest put = request("PUT", bucket, key, body.size() > (8 << 20) ? m_options.transferTimeout : m_options.requestTimeout);
    put.body = body;
    put.headers.append(KeyValue{"Content-MD5", s3::contentMd5(body)});
    return put;
}

Result<bool> S3Client::putObjectIfAbsent(const QString &bucket, const QString &key, const QByteArray &body,
                                         const QByteArray &contentType, const CancellationToken &token)
{
    AwsRequest put = bodyPut(bucket, key, body);
    put.headers.append(KeyValue{"If-None-Match", "*"});
    auto answer = sendPut(bucket, key, std::move(put), contentType, {}, token);
    if (!answer)
        return answer.error();
    if (answer->status == 412 || answer->status == 409)
        return false;
    if (!isSuccess(answer->status))
        return answerError("PutObject", target(bucket, key), *answer);
    return true;
}

Status S3Client::putObjectFromFile(const QString &bucket, const QString &key, const QString &localPath,
                                   const QByteArray &contentType, const CancellationToken &token)
{
    if (auto ok = validate(bucket, key); !ok)
        return ok;
    // One streaming pass for both digests; the upload then streams the file again.
    auto digests = digestFile(localPath, token);
    if (!digests)
        return digests.error();
    if (digests->size > s3::kMaxSinglePutBytes) {
        return makeError(Error::Code::InvalidArgument, tr("%1 is %2 bytes; a single S3 upload takes at most 5 GiB")
                                                           .arg(localPath)
                                                           .arg(digests->size));
    }
    AwsRequest put = request("PUT", bucket, key, m_options.transferTimeout);
    put.bodyFile = localPath;
    put.payloadHash = digests->sha256Hex;
    put.headers.append(KeyValue{"Content-MD5", digests->md5Base64});
    return putRequest(bucket, key, std::move(put), contentType, {}, token);
}

Result<net::HttpAnswer> S3Client::sendPut(const QString &bucket, const QString &key, AwsRequest put, const QByteArray &contentType,
                                          const QHash<QByteArray, QByteArray> &metadata, const CancellationToken &token)
{
    if (auto ok = validate(bucket, key); !ok)
        return ok.error();
    if (auto ok = validateMetadata(metadata); !ok)
        return ok.error();
    if (put.body.size() > s3::kMaxSinglePutBytes)
        return makeError(Error::Code::InvalidArgument, tr("a single S3 upload takes at most 5 GiB"));
    put.headers.append(KeyValue{"Content-Type", contentType.isEmpty() ? QByteArray("application/octet-stream") : contentType});
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        put.headers.append(KeyValue{"x-amz-meta-" + it.key(), it.value()});
    auto answer = send(put, token);
    if (!answer)
        return transportError("PutObject", target(bucket, key), answer.error());
    return answer;
}

Status S3Client::putRequest(const QString &bucket, const QString &key, AwsRequest put, const QByteArray &contentType,
                            const QHash<QByteArray, QByteArray> &metadata, const CancellationToken &token)
{
    auto answer = sendPut(bucket, key, std::move(put), contentType, metadata, token);
    if (!answer)
        return answer.error();
    if (!isSuccess(answer->status))
        return answerError("PutObject", target(bucket, key), *answer);
    return Done{};
}

Result<std::vector<S3ObjectInfo>> S3Client::listObjects(const QString &bucket, const QString &prefix,
                                                        const CancellationToken &token)
{
    if (auto ok = s3::validateBucket(bucket); !ok)
        return ok.error();
    std::vector<S3ObjectInfo> all;
    QByteArray continuation;
    QSet<QByteArray> seenTokens;
    for (;;) {
        AwsRequest list = request("GET", bucket, {}, m_options.requestTimeout);
        list.query = {{"list-type", "2"}, {"prefix", prefix.toUtf8()}};
        if (m_options.listPageSize != 1000)
            list.query.append(KeyValue{"max-keys", QByteArray::number(m_options.listPageSize)});
        if (!continuation.isEmpty())
            list.query.append(KeyValue{"continuation-token", continuation});
        auto answer = exchange("ListObjectsV2", target(bucket, prefix), list, token);
        if (!answer)
            return answer.error();
        auto page = s3::parseListObjectsV2(answer->body);
        if (!page)
            return makeError(page.error().code, tr("S3 ListObjectsV2 %1: %2").arg(target(bucket, prefix), page.error().message));
        std::move(page->objects.begin(), page->objects.end(), std::back_inserter(all));
        if (!page->truncated)
            break;
        // A truncated page without a new token would loop forever.
        if (page->nextContinuationToken.isEmpty() || seenTokens.contains(page->nextContinuationToken)) {
            return makeError(Error::Code::Corrupt,
                             tr("S3 ListObjectsV2 %1: a truncated page without a new continuation token").arg(target(bucket, prefix)));
        }
        continuation = page->nextContinuationToken;
        seenTokens.insert(continuation);
    }
    return all;
}

Status S3Client::deleteObject(const QString &bucket, const QString &key, const CancellationToken &token)
{
    if (auto ok = validate(bucket, key); !ok)
        return ok;
    auto answer = exchange("DeleteObject", target(bucket, key), request("DELETE", bucket, key, m_options.requestTimeout), token);
    if (!answer)
        return answer.error();
    return Done{};
}

Result<QList<QPair<QString, QString>>> S3Client::deleteBatch(const QString &bucket, const QStringList &keys,
                                                             const CancellationToken &token)
{
    AwsRequest post = request("POST", bucket, {}, m_options.requestTimeout);
    post.query = {{"delete", {}}};
    post.body = s3::deleteObjectsBody(keys, true);
    post.headers = {{"Content-Type", "application/xml"}, {"Content-MD5", s3::contentMd5(post.body)}};
    auto answer = exchange("DeleteObjects", target(bucket), post, token);
    if (!answer)
        return answer.error();
    auto result = s3::parseDeleteResult(answer->body);
    if (!result)
        return makeError(result.error().code, tr("S3 DeleteObjects %1: %2").arg(target(bucket), result.error().message));
    return result->errors;
}

Result<S3DeleteOutcome> S3Client::deleteObjects(const QString &bucket, const QStringList &keys,
                                                const CancellationToken &token)
{
    if (auto ok = s3::validateBucket(bucket); !ok)
        return ok.error();
    S3DeleteOutcome outcome;
    QStringList batchable;
    for (const QString &key : keys) {
        if (auto ok = s3::validateKey(key); !ok)
            outcome.failed.append({key, ok.error().message});
        else if (!s3::isXmlSafe(key)) {
            // XML cannot carry these characters at all; a plain DELETE can.
            if (auto done = deleteObject(bucket, key, token); done)
                outcome.deleted << key;
            else if (done.error().code == Error::Code::Cancelled)
                return done.error();
            else
                outcome.failed.append({key, done.error().message});
        } else {
            batchable << key;
        }
    }
    for (qsizetype start = 0; start < batchable.size(); start += m_options.deleteBatchSize) {
        const QStringList batch = batchable.mid(start, m_options.deleteBatchSize);
        auto errors = deleteBatch(bucket, batch, token);
        if (!errors) {
            // Nothing of this batch is known to be deleted. Before anything was deleted this is
            // the call's failure (missing bucket, no permission); afterwards the caller needs
            // the partial outcome, so the rest is reported as failed.
            if (outcome.deleted.isEmpty() || errors.error().code == Error::Code::Cancelled)
                return errors.error();
            for (const QString &key : batchable.mid(start))
                outcome.failed.append({key, errors.error().message});
            break;
        }
        // Quiet mode: S3 lists only failures; every other key of the batch is gone.
        QSet<QString> failedKeys;
        for (const auto &failure : *errors) {
            failedKeys.insert(failure.first);
            outcome.failed.append(failure);
        }
        for (const QString &key : batch)
            if (!failedKeys.contains(key))
                outcome.deleted << key;
    }
    return outcome;
}

Result<QUrl> S3Client::presignPut(const QString &bucket, const QString &key, const QByteArray &contentType, int expiresSeconds)
{
    if (auto ok = validate(bucket, key); !ok)
        return ok.error();
    if (expiresSeconds < 1 || expiresSeconds > 604800) {
        return makeError(Error::Code::InvalidArgument,
                         tr("a presigned URL lasts 1 to 604800 seconds, not %1").arg(expiresSeconds));
    }
    const QByteArray region = m_config.signingRegion("s3");
    if (region.isEmpty())
        return makeError(Error::Code::InvalidArgument, tr("no AWS region configured: set AWS_REGION (or `region` in the AWS profile)"));
    const auto credentials = m_config.credentials();
    if (!credentials)
        return credentials.error();
    const s3::Address where = addressOf(bucket, key);
    QByteArray path = where.endpoint.path(QUrl::FullyDecoded).toUtf8();
    while (path.endsWith('/'))
        path.chop(1);
    path += where.path;
    QList<KeyValue> signedHeaders;
    if (!contentType.isEmpty())
        signedHeaders.append(KeyValue{"content-type", contentType});
    const SigV4Signer signer(*credentials, region, "s3", SigV4Signer::PathStyle::S3);
    const QByteArray url = signer.presignUrl("PUT", where.endpoint.scheme().toLatin1(), hostHeader(where.endpoint), path, {},
                                             expiresSeconds, QDateTime::currentDateTimeUtc(), signedHeaders);
    return QUrl::fromEncoded(url, QUrl::StrictMode);
}

} // namespace mt::aws
