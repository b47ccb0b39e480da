#include "aws/LambdaEvents.h"

#include <QUrl>
#include <QUrlQuery>

namespace mt::aws {

using nlohmann::json;

namespace {

QString str(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

bool hasString(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string();
}

} // namespace

EventKind classifyEvent(const json &event)
{
    if (!event.is_object())
        return EventKind::Unknown;
    if (str(event, "action") == QLatin1String("triage"))
        return EventKind::Triage;
    if (const auto records = event.find("Records"); records != event.end() && records->is_array()) {
        for (const json &r : *records)
            if (str(r, "eventSource") != QLatin1String("aws:s3"))
                return EventKind::Unknown;
        return EventKind::S3Notification;
    }
    if (str(event, "Event") == QLatin1String("s3:TestEvent"))
        return EventKind::S3TestEvent;
    if (str(event, "version") == QLatin1String("2.0") && event.contains("requestContext")
        && event["requestContext"].is_object() && event["requestContext"].contains("http"))
        return EventKind::HttpApi;
    return EventKind::Unknown;
}

Result<TriageRequest> parseTriageRequest(const json &object, bool bucketRequired)
{
    using Tr = LambdaEvents;
    if (!object.is_object())
        return makeError(Error::Code::InvalidArgument, Tr::tr("the request must be a JSON object"));
    for (const char *key : {"bucket", "prefix", "model"}) {
        const auto it = object.find(key);
        if (it != object.end() && !it->is_string() && !it->is_null())
            return makeError(Error::Code::InvalidArgument, Tr::tr("\"%1\" must be a string").arg(QLatin1String(key)));
    }
    TriageRequest request{str(object, "bucket"), str(object, "prefix"), str(object, "model")};
    if (bucketRequired && request.bucket.isEmpty())
        return makeError(Error::Code::InvalidArgument, Tr::tr("\"bucket\" is missing"));
    if (!hasString(object, "prefix"))
        return makeError(Error::Code::InvalidArgument,
                         Tr::tr("\"prefix\" is missing (use \"\" for the whole bucket)"));
    if (request.prefix.startsWith(u'/'))
        return makeError(Error::Code::InvalidArgument, Tr::tr("\"prefix\" must not start with '/'"));
    return request;
}

json toJson(const TriageRequest &request)
{
    json out = {{"action", "triage"}, {"bucket", request.bucket.toStdString()}, {"prefix", request.prefix.toStdString()}};
    if (!request.model.isEmpty())
        out["model"] = request.model.toStdString();
    return out;
}

QString decodeS3EventKey(const QByteArray &encoded)
{
    QByteArray plus = encoded;
    plus.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(plus));
}

Result<std::vector<S3ObjectEvent>> parseS3Records(const json &event)
{
    using Tr = LambdaEvents;
    const auto records = event.is_object() ? event.find("Records") : event.end();
    if (!event.is_object() || records == event.end() || !records->is_array())
        return makeError(Error::Code::InvalidArgument, Tr::tr("not an S3 notification: no Records array"));
    std::vector<S3ObjectEvent> out;
    int index = 0;
    for (const json &r : *records) {
        const auto bad = [&](const QString &what) {
            return makeError(Error::Code::InvalidArgument, Tr::tr("S3 record %1: %2").arg(index).arg(what));
        };
        if (!r.is_object() || !r.contains("s3") || !r["s3"].is_object())
            return bad(Tr::tr("no s3 member"));
        const json &s3 = r["s3"];
        const json bucket = s3.value("bucket", json::object());
        const json object = s3.value("object", json::object());
        S3ObjectEvent e;
        e.eventName = str(r, "eventName");
        e.bucket = str(bucket, "name");
        if (!hasString(object, "key") || e.bucket.isEmpty())
            return bad(Tr::tr("bucket name or object key missing"));
        e.key = decodeS3EventKey(QByteArray::fromStdString(object["key"].get<std::string>()));
        if (const auto size = object.find("size"); size != object.end()) {
            if (size->is_number_integer())
                e.size = size->get<qint64>();
            else if (size->is_string()) {
                bool ok = false;
                e.size = QString::fromStdString(size->get<std::string>()).toLongLong(&ok);
                if (!ok)
                    return bad(Tr::tr("size is not a number"));
            }
        }
        e.etag = str(object, "eTag").toLatin1();
        e.sequencer = str(object, "sequencer").toLatin1();
        e.versionId = str(object, "versionId");
        out.push_back(std::move(e));
        ++index;
    }
    return out;
}

Result<HttpApiRequest> parseHttpApiRequest(const json &event)
{
    using Tr = LambdaEvents;
    if (!event.is_object() || !event.contains("requestContext") || !event["requestContext"].is_object())
        return makeError(Error::Code::InvalidArgument, Tr::tr("not an HTTP API event"));
    const json http = event["requestContext"].value("http", json::object());
    HttpApiRequest request;
    request.method = str(http, "method").toUpper();
    request.path = str(http, "path");
    if (request.path.isEmpty())
        request.path = str(event, "rawPath");
    if (request.method.isEmpty() || request.path.isEmpty())
        return makeError(Error::Code::InvalidArgument, Tr::tr("HTTP API event without method or path"));
    if (const auto headers = event.find("headers"); headers != event.end() && headers->is_object())
        for (const auto &[name, value] : headers->items())
            if (value.is_string())
                request.headers.insert(QString::fromStdString(name).toLower(), QString::fromStdString(value.get<std::string>()));
    // rawQueryString is exact (no comma-joining of repeats); '+' is a space in a query.
    const QString raw = str(event, "rawQueryString");
    if (!raw.isEmpty()) {
        QString spaced = raw;
        spaced.replace(u'+', QStringLiteral("%20"));
        const QUrlQuery query(spaced);
        for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
            if (!request.query.contains(name))
                request.query.insert(name, value);
    } else if (const auto params = event.find("queryStringParameters"); params != event.end() && params->is_object()) {
        for (const auto &[name, value] : params->items())
            if (value.is_string())
                request.query.insert(QString::fromStdString(name), QString::fromStdString(value.get<std::string>()));
    }
    if (const auto body = event.find("body"); body != event.end() && body->is_string()) {
        const QByteArray text = QByteArray::fromStdString(body->get<std::string>());
        if (const auto b64 = event.find("isBase64Encoded"); b64 != event.end() && b64->is_boolean() && b64->get<bool>()) {
            auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return makeError(Error::Code::InvalidArgument, Tr::tr("the body is not valid base64"));
            request.body = *decoded;
        } else {
            request.body = text;
        }
    }
    return request;
}

QByteArray httpApiResponse(int statusCode, const json &body)
{
    const json response = {{"statusCode", statusCode},
                           {"headers", {{"content-type", "application/json"}}},
                           {"body", body.dump()},
                           {"isBase64Encoded", false}};
    return QByteArray::fromStdString(response.dump());
}

QByteArray httpApiError(int statusCode, const QString &message)
{
    return httpApiResponse(statusCode, json{{"error", message.toStdString()}});
}

} // namespace mt::aws
