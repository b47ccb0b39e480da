// The S3 wire format without a server: addressing, key rules, signed request assembly (checked
// against the S3 API reference's worked examples), DeleteObjects bodies, Content-MD5, and the
// parsing of listings, batch-delete results and error documents.
#include "aws/AwsRequestSender.h"
#include "aws/S3Client.h"
#include "aws/S3Wire.h"
#include "aws/SigV4Signer.h"

#include <QTest>
#include <QUrlQuery>
#include <QXmlStreamReader>

using namespace mt;
using namespace mt::aws;

namespace {

const AwsCredentials kExampleCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", {}};
const QDateTime kExampleTime(QDate(2013, 5, 24), QTime(0, 0, 0), Qt::UTC);

QByteArray header(const net::HttpCall &call, const QByteArray &name)
{
    for (const auto &[key, value] : call.headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

} // namespace

class TestS3Wire : public QObject {
    Q_OBJECT

private slots:
    void addressing_data()
    {
        QTest::addColumn<QString>("bucket");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("region");
        QTest::addColumn<QUrl>("override");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("virtualHosted");
        const QUrl none;
        QTest::newRow("virtual") << "my-photos" << "inbox/a b.jpg" << QByteArray("eu-west-1") << none
                                 << "https://my-photos.s3.eu-west-1.amazonaws.com" << QByteArray("/inbox/a b.jpg") << true;
        QTest::newRow("virtual-bucket") << "my-photos" << QString() << QByteArray("eu-west-1") << none
                                        << "https://my-photos.s3.eu-west-1.amazonaws.com" << QByteArray("/") << true;
        QTest::newRow("dotted") << "my.photos" << "a.jpg" << QByteArray("us-east-1") << none
                                << "https://s3.us-east-1.amazonaws.com" << QByteArray("/my.photos/a.jpg") << false;
        QTest::newRow("upper-case") << "MyPhotos" << "a.jpg" << QByteArray("us-east-1") << none
                                    << "https://s3.us-east-1.amazonaws.com" << QByteArray("/MyPhotos/a.jpg") << false;
        QTest::newRow("china") << "photos" << "a.jpg" << QByteArray("cn-north-1") << none
                               << "https://photos.s3.cn-north-1.amazonaws.com.cn" << QByteArray("/a.jpg") << true;
        QTest::newRow("override") << "my-photos" << "inbox/a.jpg" << QByteArray("eu-west-1")
                                  << QUrl(QStringLiteral("http://127.0.0.1:4568")) << "http://127.0.0.1:4568"
                                  << QByteArray("/my-photos/inbox/a.jpg") << false;
        QTest::newRow("override-bucket") << "my-photos" << QString() << QByteArray("eu-west-1")
                                         << QUrl(QStringLiteral("http://localhost:9000")) << "http://localhost:9000"
                                         << QByteArray("/my-photos") << false;
    }

    void addressing()
    {
        QFETCH(QString, bucket);
        QFETCH(QString, key);
        QFETCH(QByteArray, region);
        QFETCH(QUrl, override);
        QFETCH(QString, endpoint);
        QFETCH(QByteArray, path);
        QFETCH(bool, virtualHosted);
        const s3::Address a = s3::address(bucket, key, region, override);
        QCOMPARE(a.endpoint.toString(), endpoint);
        QCOMPARE(a.path, path);
        QCOMPARE(a.virtualHosted, virtualHosted);
    }

    void keyRules_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << "a.jpg" << true;
        QTest::newRow("unicode") << "Été/日本.jpg" << true;
        QTest::newRow("hostile-chars") << "a +%#?&=;'\"<>.jpg" << true;
        QTest::newRow("leading-slash") << "/abs.jpg" << true;
        QTest::newRow("dots-in-name") << "a..b/.hidden/..x" << true;
        QTest::newRow("1024-bytes") << QString(1024, u'k') << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("1025-bytes") << QString(1025, u'k') << false;
        QTest::newRow("1026-utf8-bytes") << QString(513, QChar(0xe9)) << false;
        QTest::newRow("dot-dot") << "../x" << false;
        QTest::newRow("dot-dot-inside") << "a/../x" << false;
        QTest::newRow("dot") << "a/./x" << false;
        QTest::newRow("trailing-dot-dot") << "a/.." << false;
    }

    void keyRules()
    {
        QFETCH(QString, key);
        QFETCH(bool, valid);
        const Status status = s3::validateKey(key);
        QCOMPARE(status.ok(), valid);
        if (!valid)
            QCOMPARE(status.error().code, Error::Code::InvalidArgument);
    }

    void bucketRules()
    {
        QVERIFY(s3::validateBucket(QStringLiteral("my-photos")));
        QVERIFY(s3::validateBucket(QStringLiteral("my.photos")));
        QVERIFY(!s3::validateBucket(QString()));
        QVERIFY(!s3::validateBucket(QStringLiteral("a/b")));
        QVERIFY(!s3::validateBucket(QStringLiteral("a b")));
        QVERIFY(!s3::validateBucket(QStringLiteral("bücket")));
        QVERIFY(s3::isVirtualHostable(QStringLiteral("abc")));
        QVERIFY(!s3::isVirtualHostable(QStringLiteral("ab")));
        QVERIFY(!s3::isVirtualHostable(QStringLiteral("-abc")));
        QVERIFY(!s3::isVirtualHostable(QStringLiteral("a_bc")));
        QVERIFY(!s3::isVirtualHostable(QString(64, u'a')));
    }

    // The GET Object example of the S3 API reference (aws-sigv4-s3-ssm.md §2.2), assembled by the
    // same code that builds every S3Client request.
    void signedGetMatchesTheReferenceExample()
    {
        AwsRequest request;
        request.endpoint = QUrl(QStringLiteral("https://examplebucket.s3.amazonaws.com"));
        request.path = "/test.txt";
        request.headers = {{"Range", "bytes=0-9"}};
        request.s3ContentSha256Header = true;
        const BuiltCall built = buildSignedCall(request, kExampleCredentials, "us-east-1", "s3", SigV4Signer::PathStyle::S3,
                                                kExampleTime);
        QCOMPARE(built.signature.signature, QByteArray("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        QCOMPARE(built.call.url.toEncoded(), QByteArray("https://examplebucket.s3.amazonaws.com/test.txt"));
        QCOMPARE(header(built.call, "Host"), QByteArray("examplebucket.s3.amazonaws.com"));
        QCOMPARE(header(built.call, "x-amz-content-sha256"),
                 QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(header(built.call, "x-amz-date"), QByteArray("20130524T000000Z"));
        QVERIFY(header(built.call, "x-amz-security-token").isEmpty());
        QCOMPARE(header(built.call, "Authorization"),
                 QByteArray("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    }

    void signedPutMatchesTheReferenceExample()
    {
        AwsRequest request;
        request.method = "PUT";
        request.endpoint = QUrl(QStringLiteral("https://examplebucket.s3.amazonaws.com"));
        request.path = "/test$file.text";
        request.body = "Welcome to Amazon S3.";
        request.headers = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
        request.s3ContentSha256Header = true;
        const BuiltCall built = buildSignedCall(request, kExampleCredentials, "us-east-1", "s3", SigV4Signer::PathStyle::S3,
                                                kExampleTime);
        QCOMPARE(built.signature.signedHeaders, QByteArray("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class"));
        QCOMPARE(built.signature.signature, QByteArray("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
        QCOMPARE(built.call.url.toEncoded(), QByteArray("https://examplebucket.s3.amazonaws.com/test%24file.text"));
        QCOMPARE(built.call.body, QByteArray("Welcome to Amazon S3."));
    }

    void hostileKeysAreEncodedOnceInUrlAndSignature()
    {
        AwsRequest request;
        request.endpoint = QUrl(QStringLiteral("http://127.0.0.1:4568/base/"));
        request.path = "/media/" + QStringLiteral("in box/Été +%#?&=.jpg").toUtf8();
        request.query = {{"x-id", "a/b c"}};
        request.unsignedHeaders = {{"Accept-Encoding", "identity"}};
        request.s3ContentSha256Header = true;
        const BuiltCall built = buildSignedCall(request, {"AKID", "SECRET", "TOKEN"}, "us-east-1", "s3",
                                                SigV4Signer::PathStyle::S3, QDateTime::currentDateTimeUtc());
        const QByteArray encodedPath = "/base/media/in%20box/%C3%89t%C3%A9%20%2B%25%23%3F%26%3D.jpg";
        QCOMPARE(built.call.url.toEncoded(), "http://127.0.0.1:4568" + encodedPath + "?x-id=a%2Fb%20c");
        QCOMPARE(built.call.url.path(QUrl::FullyDecoded), QStringLiteral("/base/media/in box/Été +%#?&=.jpg"));
        QCOMPARE(built.signature.canonicalRequest.split('\n').at(1), encodedPath);
        QCOMPARE(built.signature.canonicalRequest.split('\n').at(2), QByteArray("x-id=a%2Fb%20c"));
        QCOMPARE(header(built.call, "Host"), QByteArray("127.0.0.1:4568"));
        QCOMPARE(header(built.call, "x-amz-security-token"), QByteArray("TOKEN"));
        QVERIFY(built.signature.signedHeaders.contains("x-amz-security-token"));
        QCOMPARE(header(built.call, "Accept-Encoding"), QByteArray("identity"));
        QVERIFY(!built.signature.signedHeaders.contains("accept-encoding"));
    }

    void otherServicesEncodeThePathTwiceInTheSignature()
    {
        AwsRequest request;
        request.method = "POST";
        request.endpoint = QUrl(QStringLiteral("https://lambda.us-east-1.amazonaws.com"));
        request.path = "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:triage/invocations";
        const BuiltCall built = buildSignedCall(request, {"AKID", "SECRET", {}}, "us-east-1", "lambda",
                                                SigV4Signer::PathStyle::Normalized, QDateTime::currentDateTimeUtc());
        QCOMPARE(built.call.url.toEncoded(),
                 QByteArray("https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
                            "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Atriage/invocations"));
        QCOMPARE(built.signature.canonicalRequest.split('\n').at(1),
                 QByteArray("/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction"
                            "%253Atriage/invocations"));
        QVERIFY(header(built.call, "x-amz-content-sha256").isEmpty());
    }

    void hostHeaders()
    {
        QCOMPARE(hostHeader(QUrl(QStringLiteral("https://s3.eu-west-1.amazonaws.com"))), QByteArray("s3.eu-west-1.amazonaws.com"));
        QCOMPARE(hostHeader(QUrl(QStringLiteral("https://example.com:443"))), QByteArray("example.com"));
        QCOMPARE(hostHeader(QUrl(QStringLiteral("http://example.com:80/x"))), QByteArray("example.com"));
        QCOMPARE(hostHeader(QUrl(QStringLiteral("http://localhost:4568"))), QByteArray("localhost:4568"));
        QCOMPARE(hostHeader(QUrl(QStringLiteral("https://example.com:8443"))), QByteArray("example.com:8443"));
        QCOMPARE(hostHeader(QUrl(QStringLiteral("http://[::1]:9000"))), QByteArray("[::1]:9000"));
    }

    void contentMd5KnownValue()
    {
        // aws-sigv4-s3-ssm.md §3.8: this exact body has this Content-MD5.
        const QByteArray documented = R"(<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet><Object><Key>a.jpg</Key></Object></Delete>)";
        QCOMPARE(s3::deleteObjectsBody({QStringLiteral("a.jpg")}, true), documented);
        QCOMPARE(s3::contentMd5(documented), QByteArray("APucPQb8QQDOoZmPDjaVgQ=="));
        QCOMPARE(s3::contentMd5({}), QByteArray("1B2M2Y8AsgTpgAmY7PhCfg=="));
    }

    void deleteBodyEscapesKeys()
    {
        const QStringList keys{QStringLiteral("R&D <draft> \"v2\" it's.jpg"), QStringLiteral("cr\rlf\n.jpg"),
                               QStringLiteral("Été/日本 😀.jpg"), QStringLiteral("]]>.jpg")};
        const QByteArray body = s3::deleteObjectsBody(keys, false);
        QVERIFY(body.contains("R&amp;D &lt;draft&gt; &quot;v2&quot; it&apos;s.jpg"));
        QVERIFY(!body.contains("<Quiet>"));
        // A real XML parser gets the keys back byte for byte.
        QXmlStreamReader xml(body);
        QStringList parsed;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"Key")
                parsed << xml.readElementText();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(parsed, keys);
    }

    void xmlSafety_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("safe");
        QTest::newRow("plain") << QStringLiteral("a.jpg") << true;
        QTest::newRow("tab-cr-lf") << QStringLiteral("a\t\r\n") << true;
        QTest::newRow("emoji") << QStringLiteral("😀") << true;
        QTest::newRow("control") << QStringLiteral("a\x01") << false;
        QTest::newRow("nul") << QString(QChar(0)) << false;
        QTest::newRow("fffe") << QString(QChar(0xFFFE)) << false;
        QTest::newRow("lone-high") << QString(QChar(0xD83D)) << false;
        QTest::newRow("lone-low") << QString(QChar(0xDE00)) + QStringLiteral("x") << false;
    }

    void xmlSafety()
    {
        QFETCH(QString, text);
        QFETCH(bool, safe);
        QCOMPARE(s3::isXmlSafe(text), safe);
    }

    void listParsingRealS3()
    {
        const QByteArray xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
            "  <Name>my-photos</Name><Prefix>inbox/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>\n"
            "  <IsTruncated>true</IsTruncated>\n"
            "  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>\n"
            "  <Contents>\n"
            "    <Key>inbox/IMG_0042.JPG</Key>\n"
            "    <LastModified>2026-09-20T10:15:02.000Z</LastModified>\n"
            "    <ETag>\"9b2cf535f27731c974343645a3985328\"</ETag>\n"
            "    <Size>3417283</Size>\n"
            "    <StorageClass>STANDARD</StorageClass>\n"
            "    <Owner><ID>x</ID><DisplayName>y</DisplayName></Owner>\n"
            "  </Contents>\n"
            "  <Contents><Key>inbox/R&amp;D &lt;1&gt;.jpg</Key><Size>0</Size><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag></Contents>\n"
            "  <CommonPrefixes><Prefix>inbox/2026/</Prefix></CommonPrefixes>\n"
            "</ListBucketResult>";
        auto page = s3::parseListObjectsV2(xml);
        QVERIFY2(page, qPrintable(page ? QString() : page.error().message));
        QVERIFY(page->truncated);
        QCOMPARE(page->nextContinuationToken, QByteArray("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="));
        QCOMPARE(page->objects.size(), size_t(2));
        QCOMPARE(page->objects[0].key, QStringLiteral("inbox/IMG_0042.JPG"));
        QCOMPARE(page->objects[0].size, 3417283);
        QCOMPARE(page->objects[0].etag, QByteArray("\"9b2cf535f27731c974343645a3985328\""));
        QCOMPARE(page->objects[0].lastModified, QDateTime(QDate(2026, 9, 20), QTime(10, 15, 2), Qt::UTC));
        QCOMPARE(page->objects[1].key, QStringLiteral("inbox/R&D <1>.jpg"));
        QCOMPARE(page->objects[1].etag, QByteArray("\"d41d8cd98f00b204e9800998ecf8427e\""));
        QCOMPARE(page->objects[1].size, 0);
    }

    void listParsingS3rverNamespace()
    {
        // s3rver 3.7.1 answers with another namespace; local names are what count.
        const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://doc.s3.amazonaws.com/2006-03-01/"><Name>media</Name><Prefix>p/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>p/é x.jpg</Key><LastModified>2026-11-27T12:51:58.000Z</LastModified><ETag>&quot;9dd4e461268c8034f5c8564e155c67a6&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>)";
        auto page = s3::parseListObjectsV2(xml);
        QVERIFY(page);
        QVERIFY(!page->truncated);
        QCOMPARE(page->objects.size(), size_t(1));
        QCOMPARE(page->objects[0].key, QStringLiteral("p/é x.jpg"));
        QCOMPARE(page->objects[0].etag, QByteArray("\"9dd4e461268c8034f5c8564e155c67a6\""));
    }

    void listParsingRejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("html") << QByteArray("<html><body>proxy error</body></html>");
        QTest::newRow("truncated") << QByteArray("<ListBucketResult><Contents><Key>a</Key><Size>1</Si");
        QTest::newRow("no-key") << QByteArray("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>");
        QTest::newRow("bad-size") << QByteArray("<ListBucketResult><Contents><Key>a</Key><Size>x</Size></Contents></ListBucketResult>");
        QTest::newRow("error-doc") << QByteArray("<Error><Code>AccessDenied</Code></Error>");
    }

    void listParsingRejectsGarbage()
    {
        QFETCH(QByteArray, xml);
        auto page = s3::parseListObjectsV2(xml);
        QVERIFY(!page);
        QCOMPARE(page.error().code, Error::Code::Corrupt);
    }

    void deleteResultParsing()
    {
        const QByteArray xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
            "  <Deleted><Key>a.jpg</Key></Deleted>\n"
            "  <Error><Key>locked &amp; kept.jpg</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>\n"
            "  <Deleted><Key>b.jpg</Key><VersionId>1</VersionId></Deleted>\n"
            "</DeleteResult>";
        auto result = s3::parseDeleteResult(xml);
        QVERIFY(result);
        QCOMPARE(result->deleted, (QStringList{QStringLiteral("a.jpg"), QStringLiteral("b.jpg")}));
        QCOMPARE(result->errors.size(), 1);
        QCOMPARE(result->errors[0].first, QStringLiteral("locked & kept.jpg"));
        QCOMPARE(result->errors[0].second, QStringLiteral("AccessDenied: Access Denied"));
        QCOMPARE(s3::parseDeleteResult("<Nope/>").error().code, Error::Code::Corrupt);
    }

    void errorDocumentParsing()
    {
        const auto doc = s3::parseError(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The specified key does not exist.</Message>
  <Key>inbox/IMG_0042.JPG</Key>
  <RequestId>4442587FB7D0A2F9</RequestId>
</Error>)");
        QCOMPARE(doc.code, QStringLiteral("NoSuchKey"));
        QCOMPARE(doc.message, QStringLiteral("The specified key does not exist."));
        QVERIFY(s3::parseError("not xml").code.isEmpty());
        QVERIFY(s3::parseError("<ListBucketResult/>").code.isEmpty());
    }

    void headHeaders()
    {
        const QHash<QByteArray, QByteArray> headers{{"content-length", "443"},
                                                    {"etag", "\"abc\""},
                                                    {"content-type", "image/jpeg"},
                                                    {"last-modified", "Fri, 27 Nov 2026 12:39:05 GMT"},
                                                    {"x-amz-meta-origin", "camera"},
                                                    {"x-amz-request-id", "1"}};
        const S3Head head = s3::headFromHeaders(headers);
        QCOMPARE(head.size, 443);
        QCOMPARE(head.etag, QByteArray("\"abc\""));
        QCOMPARE(head.contentType, QByteArray("image/jpeg"));
        QCOMPARE(head.lastModified, QDateTime(QDate(2026, 11, 27), QTime(12, 39, 5), Qt::UTC));
        QCOMPARE(head.metadata, (QHash<QByteArray, QByteArray>{{"origin", "camera"}}));
        QVERIFY(!s3::parseHttpDate("yesterday").isValid());
    }

    void presignedPutShape()
    {
        S3Client client(AwsConfig::make("eu-west-1", AwsCredentials{"ASIAEXAMPLE", "SECRET", "TOKEN/+="}));
        auto url = client.presignPut(QStringLiteral("my-photos"), QStringLiteral("uploads/Été 1+1.jpg"), "image/jpeg", 900);
        QVERIFY2(url, qPrintable(url ? QString() : url.error().message));
        QCOMPARE(url->scheme(), QStringLiteral("https"));
        QCOMPARE(url->host(), QStringLiteral("my-photos.s3.eu-west-1.amazonaws.com"));
        QCOMPARE(url->path(QUrl::FullyEncoded), QStringLiteral("/uploads/%C3%89t%C3%A9%201%2B1.jpg"));
        const QByteArray query = url->query(QUrl::FullyEncoded).toLatin1();
        QVERIFY2(query.startsWith("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F"), query.constData());
        QVERIFY(query.contains("%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date="));
        QVERIFY(query.contains("&X-Amz-Expires=900&"));
        QVERIFY(query.contains("&X-Amz-Security-Token=TOKEN%2F%2B%3D&"));
        QVERIFY(query.contains("&X-Amz-SignedHeaders=content-type%3Bhost&"));
        const qsizetype signature = query.indexOf("&X-Amz-Signature=");
        QVERIFY(signature > 0);
        QCOMPARE(query.mid(signature + 17).size(), 64);
        QVERIFY(!query.contains("SECRET"));

        // Without a content type only host is signed.
        auto unsignedType = client.presignPut(QStringLiteral("my-photos"), QStringLiteral("uploads/Été 1+1.jpg"), {}, 900);
        QVERIFY(unsignedType);
        QCOMPARE(QUrlQuery(*unsignedType).queryItemValue("X-Amz-SignedHeaders"), QStringLiteral("host"));
    }

    void presignWithExtraHeaderIsConsistentWithHeaderSigning()
    {
        // presignUrl with a signed content type must sign the same canonical request that sign()
        // builds for those query parameters and headers.
        const SigV4Signer signer(kExampleCredentials, "us-east-1", "s3", SigV4Signer::PathStyle::S3);
        const QByteArray url = signer.presignUrl("PUT", "https", "examplebucket.s3.amazonaws.com", "/a b.jpg", {}, 900,
                                                 kExampleTime, {{"content-type", "image/jpeg"}});
        SignableRequest request;
        request.method = "PUT";
        request.path = "/a b.jpg";
        request.query = {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
                         {"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},
                         {"X-Amz-Date", "20130524T000000Z"},
                         {"X-Amz-Expires", "900"},
                         {"X-Amz-SignedHeaders", "content-type;host"}};
        request.headers = {{"host", "examplebucket.s3.amazonaws.com"}, {"content-type", "image/jpeg"}};
        request.payloadHash = "UNSIGNED-PAYLOAD";
        const SignedRequest expected = signer.sign(request, kExampleTime);
        QVERIFY2(url.endsWith("&X-Amz-Signature=" + expected.signature), url.constData());
        QVERIFY(url.startsWith("https://examplebucket.s3.amazonaws.com/a%20b.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
    }
};

QTEST_GUILESS_MAIN(TestS3Wire)
#include "tst_aws_s3_wire.moc"
