#pragma once

#include "aws/AwsConfig.h"
#include "aws/AwsRequestSender.h"
#include "aws/AwsRetry.h"
#include "aws/S3Wire.h"
#include "common/Cancellation.h"
#include "common/Result.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <vector>

namespace mt::aws {

struct S3ClientOptions {
    RetryPolicy retry = awsRetryPolicy();
    std::chrono::milliseconds requestTimeout{30000};              // small calls (head, list, small bodies)
    std::chrono::milliseconds transferTimeout{std::chrono::minutes(14)}; // file up/downloads; the token bounds it too
    int listPageSize = 1000;     // max-keys per ListObjectsV2 page (1..1000)
    int deleteBatchSize = s3::kMaxDeleteBatch; // keys per DeleteObjects request (1..1000)
};

// Synchronous S3 client (SigV4 header auth, credentials re-read for every request). One object
// per thread. Errors: NotFound for 404/NoSuchKey/NoSuchBucket, PermissionDenied for 403, Network/
// Timeout for transport and for server errors that outlast the retries, Io for local files,
// Corrupt for unparseable XML, InvalidArgument for bad names; messages name the bucket/key and
// S3's Code/Message, never credentials.
class S3Client {
public:
    explicit S3Client(AwsConfig config);
    S3Client(AwsConfig config, S3ClientOptions options);

    Result<S3Head> headObject(const QString &bucket, const QString &key, const CancellationToken &token = {});
    // Streamed to disk (never held in memory); the file appears only when complete. Returns bytes written.
    Result<qint64> getObjectToFile(const QString &bucket, const QString &key, const QString &localPath,
                                   const CancellationToken &token = {});
    // Small objects only (results.json, job state); error if larger than maxBytes.
    Result<QByteArray> getObject(const QString &bucket, const QString &key, qint64 maxBytes = 16 << 20,
                                 const CancellationToken &token = {});
    Status putObject(const QString &bucket, const QString &key, const QByteArray &body, const QByteArray &contentType,
                     const CancellationToken &token = {});
    // With user metadata (x-amz-meta-<name>; names of [a-z0-9_-], values printable ASCII).
    Status putObject(const QString &bucket, const QString &key, const QByteArray &body, const QByteArray &contentType,
                     const QHash<QByteArray, QByteArray> &metadata, const CancellationToken &token = {});
    // PutObject with `If-None-Match: *`: true when this call wrote the object, false when the key
    // exists (412) or another conditional write of it is under way (409). The wire reference does
    // not promise the condition, and a store that predates it ignores the header and answers 200:
    // a caller that depends on it must check that a second such put of the key answers false.
    Result<bool> putObjectIfAbsent(const QString &bucket, const QString &key, const QByteArray &body,
                                   const QByteArray &contentType, const CancellationToken &token = {});
    Status putObjectFromFile(const QString &bucket, const QString &key, const QString &localPath,
                             const QByteArray &contentType, const CancellationToken &token = {});
    // Every page (ListObjectsV2 with continuation-token), in key order.
    Result<std::vector<S3ObjectInfo>> listObjects(const QString &bucket, const QString &prefix,
                                                  const CancellationToken &token = {});
    Status deleteObject(const QString &bucket, const QString &key, const CancellationToken &token = {});
    // DeleteObjects in batches of ≤ 1000 with Content-MD5; per-key failures reported, not fatal.
    Result<S3DeleteOutcome> deleteObjects(const QString &bucket, const QStringList &keys,
                                          const CancellationToken &token = {});
    // Presigned URL for a PUT (content type signed if given), expiry in seconds (1..604800).
    Result<QUrl> presignPut(const QString &bucket, const QString &key, const QByteArray &contentType, int expiresSeconds);

    const S3ClientOptions &options() const { return m_options; }
    // Attempts made by the last request (retries included).
    int lastAttempts() const { return m_sender.lastAttempts(); }

private:
    Result<QByteArray> region() const;
    // A request for (bucket, key) at its address, with S3's payload-hash header.
    AwsRequest request(const QByteArray &method, const QString &bucket, const QString &key,
                       std::chrono::milliseconds timeout) const;
    Result<net::HttpAnswer> send(const AwsRequest &request, const CancellationToken &token);
    // send() with transport failures and error statuses turned into Errors naming the call.
    Result<net::HttpAnswer> exchange(const char *operation, const QString &what, const AwsRequest &request,
                                     const CancellationToken &token);
    // A PutObject of bytes in memory, with their Content-MD5.
    AwsRequest bodyPut(const QString &bucket, const QString &key, const QByteArray &body) const;
    // Every PutObject: checks the names and bounds, adds the content type and metadata headers and
    // sends; transport failures become Errors, the status is the caller's to judge.
    Result<net::HttpAnswer> sendPut(const QString &bucket, const QString &key, AwsRequest request, const QByteArray &contentType,
                                    const QHash<QByteArray, QByteArray> &metadata, const CancellationToken &token);
    Status putRequest(const QString &bucket, const QString &key, AwsRequest request, const QByteArray &contentType,
                      const QHash<QByteArray, QByteArray> &metadata, const CancellationToken &token);
    Result<QList<QPair<QString, QString>>> deleteBatch(const QString &bucket, const QStringList &keys,
                                                       const CancellationToken &token);
    s3::Address addressOf(const QString &bucket, const QString &key) const;

    AwsConfig m_config;
    S3ClientOptions m_options;
    AwsRequestSender m_sender;
};

} // namespace mt::aws
