#pragma once

// The S3 REST wire format without any I/O: addressing, key rules, request bodies and response
// parsing (aws-sigv4-s3-ssm.md §3). S3Client puts these together; tst_aws_s3_wire checks them.

#include "common/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <vector>

namespace mt::aws {

struct S3ObjectInfo {
    QString key;
    qint64 size = 0;
    QByteArray etag; // as S3 sends it, quotes included
    QDateTime lastModified;
};

struct S3Head {
    qint64 size = 0;
    QByteArray etag;
    QByteArray contentType;
    QDateTime lastModified;
    QHash<QByteArray, QByteArray> metadata; // x-amz-meta-* without the prefix, names in lower case
};

// The ETag's value without the quotes S3 wraps it in (some servers send it bare): what documents
// store and what comparisons use, so a quoted and a bare spelling of one ETag are equal.
inline QByteArray unquotedEtag(QByteArray etag) { return etag.replace('"', QByteArray()); }

struct S3DeleteOutcome {
    QStringList deleted;
    QList<QPair<QString, QString>> failed; // key, message
};

namespace s3 {

constexpr int kMaxKeyBytes = 1024;
constexpr int kMaxDeleteBatch = 1000;
constexpr qint64 kMaxSinglePutBytes = 5LL << 30;

// Where a request for (bucket, key) goes: the endpoint to send to and the plain (unencoded) path.
struct Address {
    QUrl endpoint;
    QByteArray path;
    bool virtualHosted = false;
};

// Bucket names that can be a DNS label under *.s3.<region>.amazonaws.com (and match the TLS
// wildcard certificate): 3–63 of [a-z0-9-], starting and ending alphanumeric. Dotted names are
// valid buckets but go path-style.
bool isVirtualHostable(const QString &bucket);

// Virtual-hosted against AWS (https://<bucket>.s3.<region>.amazonaws.com/<key>), path-style
// against an endpoint override or for buckets that cannot be a host name. An empty key addresses
// the bucket itself (ListObjectsV2, DeleteObjects).
Address address(const QString &bucket, const QString &key, const QByteArray &region, const QUrl &endpointOverride);

// InvalidArgument with a message naming the problem, or ok.
Status validateBucket(const QString &bucket);
// Keys are any UTF-8 of 1..1024 bytes; "." and ".." segments are refused because the HTTP stack
// resolves them in request paths, which would address another key.
Status validateKey(const QString &key);

// Base64 of the MD5 of the exact bytes (Content-MD5).
QByteArray contentMd5(const QByteArray &body);

// Characters XML 1.0 cannot carry, even escaped (control characters other than tab/CR/LF,
// unpaired surrogates, U+FFFE/U+FFFF): such keys cannot go into a DeleteObjects body.
bool isXmlSafe(const QString &text);
QByteArray xmlEscape(const QString &text);
QByteArray deleteObjectsBody(const QStringList &keys, bool quiet);

struct ListPage {
    std::vector<S3ObjectInfo> objects;
    bool truncated = false;
    QByteArray nextContinuationToken;
};
// ListBucketResult, matched by local element names (s3rver uses another namespace).
Result<ListPage> parseListObjectsV2(const QByteArray &xml);

struct DeleteResult {
    QStringList deleted;
    QList<QPair<QString, QString>> errors; // key, "Code: Message"
};
Result<DeleteResult> parseDeleteResult(const QByteArray &xml);

struct ErrorDocument {
    QString code;
    QString message;
};
// <Error><Code/><Message/></Error>; empty fields when the body is not such a document.
ErrorDocument parseError(const QByteArray &xml);

// HTTP date of Last-Modified (RFC 1123) and ISO 8601 of listings; invalid when unparseable.
QDateTime parseHttpDate(const QByteArray &value);
QDateTime parseIsoDate(const QString &value);

// HeadObject/GetObject response headers (names in lower case).
S3Head headFromHeaders(const QHash<QByteArray, QByteArray> &headers);

} // namespace s3
} // namespace mt::aws
