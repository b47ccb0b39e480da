#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace mt::aws {

// The event shapes the function is invoked with, told apart by their members.
enum class EventKind {
    Triage,         // direct invoke {"action":"triage", ...}
    S3Notification, // {"Records":[{"eventSource":"aws:s3", ...}]}
    S3TestEvent,    // {"Event":"s3:TestEvent", ...}, sent once when a notification is configured
    HttpApi,        // API Gateway HTTP API, payload format 2.0
    Unknown,
};
EventKind classifyEvent(const nlohmann::json &event);

// {"action":"triage","bucket":B,"prefix":P,"model":M?}; also the body of POST /triage (where the
// bucket is optional and checked by the caller).
struct TriageRequest {
    QString bucket;
    QString prefix;
    QString model; // empty: the configured default
};
Result<TriageRequest> parseTriageRequest(const nlohmann::json &object, bool bucketRequired = true);
nlohmann::json toJson(const TriageRequest &request);

struct S3ObjectEvent {
    QString eventName; // "ObjectCreated:Put", ...
    QString bucket;
    QString key;       // decoded
    qint64 size = -1;  // -1 when absent (delete events)
    QByteArray etag;
    QByteArray sequencer;
    QString versionId;
    bool created() const { return eventName.startsWith(QLatin1String("ObjectCreated:")); }
};
// Every record of an S3 notification; malformed records are an error for the whole event (S3
// never sends them, so it is not worth a retry either way).
Result<std::vector<S3ObjectEvent>> parseS3Records(const nlohmann::json &event);
// Keys arrive form-url-encoded: '+' is a space, then %XX bytes of UTF-8.
QString decodeS3EventKey(const QByteArray &encoded);

struct HttpApiRequest {
    QString method; // upper case
    QString path;
    QHash<QString, QString> headers; // lower-case names
    QHash<QString, QString> query;   // decoded
    QByteArray body;                 // base64 already decoded
};
Result<HttpApiRequest> parseHttpApiRequest(const nlohmann::json &event);

// The explicit payload 2.0 response object: {"statusCode", "headers", "body" (a JSON string),
// "isBase64Encoded": false}.
QByteArray httpApiResponse(int statusCode, const nlohmann::json &body);
QByteArray httpApiError(int statusCode, const QString &message);

// Translation context of the messages above.
struct LambdaEvents {
    Q_DECLARE_TR_FUNCTIONS(LambdaEvents)
};

} // namespace mt::aws
