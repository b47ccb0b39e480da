// Event decoding of the Lambda runtime: S3 notifications, API Gateway HTTP API (payload 2.0),
// direct triage requests, the response object, and the Runtime API error types.
#include "aws/LambdaEvents.h"
#include "aws/LambdaRuntimeClient.h"

#include <QTest>

using namespace mt::aws;
using nlohmann::json;

namespace {

// A JSON value as text for QCOMPARE: strings as they are, anything else in JSON notation.
QString text(const nlohmann::json &value)
{
    return QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump());
}

json record(const std::string &key, const json &size = 1234, const std::string &event = "ObjectCreated:Put")
{
    json object = {{"key", key}, {"eTag", "d41d8cd98f00b204e9800998ecf8427e"}, {"sequencer", "0055AED6DCD90281E5"}};
    if (!size.is_null())
        object["size"] = size;
    return {{"eventVersion", "2.1"},
            {"eventSource", "aws:s3"},
            {"awsRegion", "eu-west-1"},
            {"eventName", event},
            {"s3", {{"s3SchemaVersion", "1.0"}, {"bucket", {{"name", "my-photos"}}}, {"object", object}}}};
}

json httpEvent(const std::string &method, const std::string &path, const json &extra = json::object())
{
    json e = {{"version", "2.0"},
              {"routeKey", "$default"},
              {"rawPath", path},
              {"rawQueryString", ""},
              {"headers", {{"content-type", "application/json"}}},
              {"requestContext", {{"http", {{"method", method}, {"path", path}}}, {"stage", "$default"}}},
              {"isBase64Encoded", false}};
    for (const auto &[k, v] : extra.items())
        e[k] = v;
    return e;
}

} // namespace

class TestLambdaEvents : public QObject {
    Q_OBJECT
private slots:
    void s3KeyDecoding_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QString>("decoded");
        QTest::newRow("plus is space") << QByteArray("inbox/Summer+2026/IMG_0042+%281%29.JPG")
                                       << QStringLiteral("inbox/Summer 2026/IMG_0042 (1).JPG");
        QTest::newRow("literal plus") << QByteArray("a%2Bb.jpg") << QStringLiteral("a+b.jpg");
        QTest::newRow("unicode") << QByteArray("f%C3%A9rias/%E5%86%99%E7%9C%9F.heic") << QStringLiteral("férias/写真.heic");
        QTest::newRow("percent") << QByteArray("100%25.jpg") << QStringLiteral("100%.jpg");
        QTest::newRow("plain") << QByteArray("a/b/c.mov") << QStringLiteral("a/b/c.mov");
        QTest::newRow("encoded dot-dot stays text") << QByteArray("%2E%2E/x.jpg") << QStringLiteral("../x.jpg");
    }
    void s3KeyDecoding()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QString, decoded);
        QCOMPARE(decodeS3EventKey(encoded), decoded);
    }

    void s3Records_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("firstKey");
        QTest::addColumn<qint64>("firstSize");
        QTest::newRow("size number") << QByteArray::fromStdString(json{{"Records", {record("a+b.jpg", 3417283)}}}.dump())
                                     << 1 << QStringLiteral("a b.jpg") << qint64(3417283);
        QTest::newRow("size string") << QByteArray::fromStdString(json{{"Records", {record("x.jpg", "42")}}}.dump())
                                     << 1 << QStringLiteral("x.jpg") << qint64(42);
        QTest::newRow("size absent") << QByteArray::fromStdString(
            json{{"Records", {record("x.jpg", nullptr, "ObjectRemoved:Delete")}}}.dump())
                                     << 1 << QStringLiteral("x.jpg") << qint64(-1);
        QTest::newRow("several") << QByteArray::fromStdString(
            json{{"Records", {record("one.jpg", 1), record("two%2B.mov", 2), record("three.heic", 3)}}}.dump())
                                 << 3 << QStringLiteral("one.jpg") << qint64(1);
    }
    void s3Records()
    {
        QFETCH(QByteArray, event);
        QFETCH(int, count);
        QFETCH(QString, firstKey);
        QFETCH(qint64, firstSize);
        const json doc = json::parse(event.toStdString());
        QCOMPARE(classifyEvent(doc), EventKind::S3Notification);
        auto records = parseS3Records(doc);
        QVERIFY2(records.ok(), records.ok() ? "" : qPrintable(records.error().message));
        QCOMPARE(int(records->size()), count);
        QCOMPARE(records->front().key, firstKey);
        QCOMPARE(records->front().size, firstSize);
        QCOMPARE(records->front().bucket, QStringLiteral("my-photos"));
        QCOMPARE(records->front().etag, QByteArray("d41d8cd98f00b204e9800998ecf8427e"));
        if (count == 3)
            QCOMPARE(records->at(1).key, QStringLiteral("two+.mov"));
    }

    void s3RecordCreatedOrNot()
    {
        auto records = parseS3Records(json{{"Records", {record("a.jpg"), record("b.jpg", nullptr, "ObjectRemoved:Delete")}}});
        QVERIFY(records.ok());
        QVERIFY(records->at(0).created());
        QVERIFY(!records->at(1).created());
    }

    void s3MalformedRecords_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::newRow("no s3 member") << QByteArray(R"({"Records":[{"eventSource":"aws:s3"}]})");
        QTest::newRow("no key") << QByteArray(R"({"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{}}}]})");
        QTest::newRow("size garbage") << QByteArray(
            R"({"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k","size":"many"}}}]})");
    }
    void s3MalformedRecords()
    {
        QFETCH(QByteArray, event);
        auto records = parseS3Records(json::parse(event.toStdString()));
        QVERIFY(!records.ok());
        QVERIFY(!records.error().message.isEmpty());
    }

    void classify_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<int>("kind");
        QTest::newRow("triage") << QByteArray(R"({"action":"triage","bucket":"b","prefix":"p/"})") << int(EventKind::Triage);
        QTest::newRow("s3 test event") << QByteArray(
            R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-09-20T10:15:02.123Z","Bucket":"b","RequestId":"x","HostId":"y"})")
                                       << int(EventKind::S3TestEvent);
        QTest::newRow("http") << QByteArray::fromStdString(httpEvent("GET", "/health").dump()) << int(EventKind::HttpApi);
        QTest::newRow("other source records") << QByteArray(R"({"Records":[{"eventSource":"aws:sqs"}]})") << int(EventKind::Unknown);
        QTest::newRow("other action") << QByteArray(R"({"action":"delete-everything"})") << int(EventKind::Unknown);
        QTest::newRow("array") << QByteArray("[1,2]") << int(EventKind::Unknown);
        QTest::newRow("string") << QByteArray(R"("hello")") << int(EventKind::Unknown);
        QTest::newRow("empty object") << QByteArray("{}") << int(EventKind::Unknown);
    }
    void classify()
    {
        QFETCH(QByteArray, event);
        QFETCH(int, kind);
        QCOMPARE(int(classifyEvent(json::parse(event.toStdString()))), kind);
    }

    void triageRequest_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("bucketRequired");
        QTest::addColumn<bool>("ok");
        QTest::newRow("full") << QByteArray(R"({"action":"triage","bucket":"b","prefix":"p/","model":"m"})") << true << true;
        QTest::newRow("empty prefix is the whole bucket") << QByteArray(R"({"bucket":"b","prefix":""})") << true << true;
        QTest::newRow("no bucket") << QByteArray(R"({"prefix":"p/"})") << true << false;
        QTest::newRow("no bucket over http") << QByteArray(R"({"prefix":"p/"})") << false << true;
        QTest::newRow("no prefix") << QByteArray(R"({"bucket":"b"})") << true << false;
        QTest::newRow("prefix not a string") << QByteArray(R"({"bucket":"b","prefix":3})") << true << false;
        QTest::newRow("absolute prefix") << QByteArray(R"({"bucket":"b","prefix":"/etc/"})") << true << false;
        QTest::newRow("not an object") << QByteArray(R"([])") << true << false;
    }
    void triageRequest()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, bucketRequired);
        QFETCH(bool, ok);
        auto request = parseTriageRequest(json::parse(body.toStdString()), bucketRequired);
        QCOMPARE(request.ok(), ok);
        if (ok && request->bucket == QLatin1String("b") && body.contains("model"))
            QCOMPARE(request->model, QStringLiteral("m"));
    }

    void httpRequestDecoding()
    {
        const QByteArray body = R"({"prefix":"trip/","keys":["trip/a b.jpg"]})";
        json e = httpEvent("post", "/triage/confirm",
                           {{"rawQueryString", "prefix=trip%2F&name=a+b&name=second&empty="},
                            {"queryStringParameters", {{"prefix", "trip/"}, {"name", "a b,second"}}},
                            {"headers", {{"Content-Type", "application/json"}, {"x-forwarded-for", "203.0.113.7"}}},
                            {"body", body.toBase64().toStdString()},
                            {"isBase64Encoded", true}});
        auto request = parseHttpApiRequest(e);
        QVERIFY(request.ok());
        QCOMPARE(request->method, QStringLiteral("POST"));
        QCOMPARE(request->path, QStringLiteral("/triage/confirm"));
        QCOMPARE(request->body, body);
        QCOMPARE(request->headers.value(QStringLiteral("content-type")), QStringLiteral("application/json"));
        QCOMPARE(request->query.value(QStringLiteral("prefix")), QStringLiteral("trip/"));
        QCOMPARE(request->query.value(QStringLiteral("name")), QStringLiteral("a b")); // the first of repeats, exactly
        QVERIFY(request->query.contains(QStringLiteral("empty")));
    }

    void httpRequestPlainBodyAndParameters()
    {
        json e = httpEvent("GET", "/upload-url",
                           {{"queryStringParameters", {{"prefix", "in/"}, {"filename", "IMG 1.jpg"}}}, {"body", "plain text"}});
        e.erase("rawQueryString");
        auto request = parseHttpApiRequest(e);
        QVERIFY(request.ok());
        QCOMPARE(request->query.value(QStringLiteral("filename")), QStringLiteral("IMG 1.jpg"));
        QCOMPARE(request->body, QByteArray("plain text"));
    }

    void httpRequestBadBase64()
    {
        auto request = parseHttpApiRequest(httpEvent("POST", "/triage", {{"body", "***"}, {"isBase64Encoded", true}}));
        QVERIFY(!request.ok());
    }

    void responseObjectShape()
    {
        const json response = json::parse(httpApiResponse(202, {{"state", "queued"}}).toStdString());
        QCOMPARE(response["statusCode"].get<int>(), 202);
        QVERIFY(response["body"].is_string()); // a JSON document inside a string, as API Gateway wants
        QCOMPARE(text(json::parse(response["body"].get<std::string>())["state"]), QStringLiteral("queued"));
        QCOMPARE(text(response["headers"]["content-type"]), QStringLiteral("application/json"));
        QCOMPARE(text(response["isBase64Encoded"]), QStringLiteral("false"));
        const json error = json::parse(httpApiError(400, QStringLiteral("bad \"prefix\"")).toStdString());
        QCOMPARE(error["statusCode"].get<int>(), 400);
        QCOMPARE(text(json::parse(error["body"].get<std::string>())["error"]), QStringLiteral("bad \"prefix\""));
    }

    void errorTypes_data()
    {
        QTest::addColumn<QByteArray>("given");
        QTest::addColumn<QByteArray>("sent");
        QTest::newRow("valid function") << QByteArray("Function.MalformedEvent") << QByteArray("Function.MalformedEvent");
        QTest::newRow("valid runtime") << QByteArray("Runtime.InitializationError") << QByteArray("Runtime.InitializationError");
        QTest::newRow("snake reason") << QByteArray("Function.bad_request") << QByteArray("Function.BadRequest");
        QTest::newRow("no category") << QByteArray("GeminiQuotaExhausted") << QByteArray("Function.GeminiQuotaExhausted");
        QTest::newRow("unknown category") << QByteArray("Handler.Oops") << QByteArray("Function.Oops");
        QTest::newRow("digits dropped") << QByteArray("Runtime.Error500") << QByteArray("Runtime.Error");
        QTest::newRow("empty") << QByteArray() << QByteArray("Function.Unknown");
    }
    void errorTypes()
    {
        QFETCH(QByteArray, given);
        QFETCH(QByteArray, sent);
        QCOMPARE(LambdaRuntimeClient::normalizedErrorType(given), sent);
        const json body = json::parse(LambdaRuntimeClient::errorBody(given, QStringLiteral("why")).toStdString());
        QCOMPARE(QByteArray::fromStdString(body["errorType"].get<std::string>()), sent);
        QCOMPARE(text(body["errorMessage"]), QStringLiteral("why"));
        QVERIFY(body["stackTrace"].is_array());
    }
};

QTEST_GUILESS_MAIN(TestLambdaEvents)
#include "tst_lambda_events.moc"
