// S3Client against s3rver (the protocol flow: URLs, key encoding, XML, paging, errors) and against
// a scripted raw HTTP server on the test's thread (the exact request line and headers, retries,
// expired credentials, hung servers). Signatures themselves are proven by tst_sigv4: s3rver does
// not check them.
#include "aws/AwsConfig.h"
#include "aws/S3Client.h"
#include "aws/SigV4Signer.h"

#include "S3rver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QUrlQuery>

#include <atomic>
#include <deque>

using namespace mt;
using namespace mt::aws;
using namespace std::chrono_literals;

namespace {

const QString kBucket = QStringLiteral("media");

S3ClientOptions fastOptions()
{
    S3ClientOptions options;
    options.retry = RetryPolicy{3, 5ms, 20ms};
    options.requestTimeout = 5s;
    options.transferTimeout = 30s;
    return options;
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    auto *words = reinterpret_cast<quint32 *>(bytes.data());
    QRandomGenerator generator(42);
    generator.fillRange(words, size / 4);
    return bytes;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Raw HTTP/1.1 on a loopback port, on the calling thread (the client's local event loop serves
// it). Answers each complete request with the next scripted response; records what arrived.
class ScriptedServer {
public:
    struct Request {
        QByteArray requestLine;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    ScriptedServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    serve(socket, *buffer);
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    QUrl endpoint() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    // An empty response means: read the request and never answer.
    void queue(QByteArray response) { m_responses.push_back(std::move(response)); }
    const QList<Request> &requests() const { return m_requests; }

    // A response whose connection is cut after `sent` bytes of a body of `promised` bytes.
    static QByteArray cutResponse(int status, const QByteArray &sent, qsizetype promised)
    {
        return kCutMarker + "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Length: "
            + QByteArray::number(promised) + "\r\n\r\n" + sent;
    }
    static QByteArray response(int status, const QByteArray &body = {}, const QByteArray &extraHeaders = {})
    {
        return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n" + extraHeaders + "\r\n" + body;
    }
    static QByteArray s3Error(int status, const QByteArray &code)
    {
        return response(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                                    + "</Code><Message>scripted</Message></Error>",
                        "Content-Type: application/xml\r\n");
    }

private:
    static inline const QByteArray kCutMarker = "<cut>";

    void serve(QTcpSocket *socket, QByteArray &buffer)
    {
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request request;
            const QByteArrayList lines = buffer.left(end).split('\n');
            request.requestLine = lines.value(0).trimmed();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length").toLongLong();
            if (buffer.size() < end + 4 + length)
                return;
            request.body = buffer.mid(end + 4, length);
            buffer.remove(0, end + 4 + length);
            m_requests.append(request);
            const QByteArray reply = m_responses.empty() ? response(200) : m_responses.front();
            if (!m_responses.empty())
                m_responses.pop_front();
            if (reply.startsWith(kCutMarker)) {
                // The server dies mid-body: what it promised never fully arrives.
                socket->write(reply.mid(kCutMarker.size()));
                socket->flush();
                socket->abort();
                return;
            }
            if (!reply.isEmpty())
                socket->write(reply);
        }
    }

    QTcpServer m_server;
    std::deque<QByteArray> m_responses;
    QList<Request> m_requests;
};

} // namespace

class TestS3Client : public QObject {
    Q_OBJECT

    mt::test::S3rver m_server;
    std::unique_ptr<S3Client> m_client;
    QTemporaryDir m_tmp;

    AwsConfig s3rverConfig() const
    {
        return AwsConfig::make("us-east-1",
                               AwsCredentials{mt::test::S3rver::accessKeyId(), mt::test::S3rver::secretAccessKey(), {}},
                               {{"s3", m_server.endpoint()}});
    }

    void requireServer()
    {
        if (!m_client)
            QSKIP("s3rver is not running (see initTestCase)");
    }

private slots:
    void initTestCase()
    {
        if (!mt::test::S3rver::installed())
            QSKIP(qPrintable(mt::test::S3rver::notInstalledReason()));
        QVERIFY2(m_server.start({kBucket, QStringLiteral("other")}), qPrintable(m_server.errorString()));
        m_client = std::make_unique<S3Client>(s3rverConfig(), fastOptions());
        QVERIFY(m_tmp.isValid());
    }

    void putAndGetBytes()
    {
        requireServer();
        const QByteArray body = "{\"items\":[]}";
        QVERIFY2(m_client->putObject(kBucket, "jobs/a/results.json", body, "application/json"),
                 "put failed");
        auto got = m_client->getObject(kBucket, "jobs/a/results.json");
        QVERIFY2(got, qPrintable(got ? QString() : got.error().message));
        QCOMPARE(*got, body);

        // Overwrite silently, as S3 does.
        QVERIFY(m_client->putObject(kBucket, "jobs/a/results.json", "second", "application/json"));
        QCOMPARE(*m_client->getObject(kBucket, "jobs/a/results.json"), QByteArray("second"));
    }

    // The claim of a Lambda fan-out job rests on this: of several writers at once, exactly one
    // finds the key absent; the others learn it exists, and the winner's body stays.
    void putIfAbsentWritesOnce()
    {
        requireServer();
        const QString key = QStringLiteral("claims/lock");
        auto first = m_client->putObjectIfAbsent(kBucket, key, "first", "application/json");
        QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
        QVERIFY(*first);
        auto second = m_client->putObjectIfAbsent(kBucket, key, "second", "application/json");
        QVERIFY2(second, qPrintable(second ? QString() : second.error().message));
        QVERIFY2(!*second, "a conditional put over an existing key must answer 412");
        QCOMPARE(*m_client->getObject(kBucket, key), QByteArray("first"));

        const QString contested = QStringLiteral("claims/contested");
        std::atomic<int> won{0}, failed{0};
        QThreadPool pool;
        pool.setMaxThreadCount(8);
        for (int i = 0; i < 8; ++i)
            pool.start([&, i] {
                S3Client client(s3rverConfig(), fastOptions());
                auto put = client.putObjectIfAbsent(kBucket, contested, QByteArray::number(i), "text/plain");
                if (!put)
                    ++failed;
                else if (*put)
                    ++won;
            });
        pool.waitForDone();
        QCOMPARE(failed.load(), 0);
        QCOMPARE(won.load(), 1);
        QVERIFY(m_client->deleteObject(kBucket, contested));
        auto afterDelete = m_client->putObjectIfAbsent(kBucket, contested, "again", "text/plain");
        QVERIFY(afterDelete && *afterDelete);
    }

    // A store that predates conditional writes answers 200 every time: the caller's second put is
    // how it tells (FanoutJob::takeLock), so this must stay true of the stand-in.
    void putIfAbsentOnAStoreWithoutConditions()
    {
        mt::test::S3rver plain;
        plain.setConditionalWrites(false);
        QVERIFY2(plain.start({kBucket}), qPrintable(plain.errorString()));
        S3Client client(AwsConfig::make("us-east-1",
                                        AwsCredentials{mt::test::S3rver::accessKeyId(), mt::test::S3rver::secretAccessKey(), {}},
                                        {{"s3", plain.endpoint()}}),
                        fastOptions());
        auto first = client.putObjectIfAbsent(kBucket, QStringLiteral("k"), "1", "text/plain");
        auto second = client.putObjectIfAbsent(kBucket, QStringLiteral("k"), "2", "text/plain");
        QVERIFY(first && *first);
        QVERIFY(second && *second);
        QCOMPARE(*client.getObject(kBucket, QStringLiteral("k")), QByteArray("2"));
    }

    void getObjectLimitsMemory()
    {
        requireServer();
        QVERIFY(m_client->putObject(kBucket, "limits/ten", "0123456789", "text/plain"));
        QCOMPARE(*m_client->getObject(kBucket, "limits/ten", 10), QByteArray("0123456789"));
        auto tooBig = m_client->getObject(kBucket, "limits/ten", 9);
        QVERIFY(!tooBig);
        QCOMPARE(tooBig.error().code, Error::Code::InvalidArgument);
        QVERIFY2(tooBig.error().message.contains(u"s3://media/limits/ten"), qPrintable(tooBig.error().message));

        QVERIFY(m_client->putObject(kBucket, "limits/empty", {}, "text/plain"));
        auto empty = m_client->getObject(kBucket, "limits/empty");
        QVERIFY2(empty, qPrintable(empty ? QString() : empty.error().message));
        QVERIFY(empty->isEmpty());
    }

    void fileRoundTripAndHead()
    {
        requireServer();
        const QByteArray content = randomBytes(3 * 1024 * 1024 + 123);
        const QString source = m_tmp.filePath(QStringLiteral("upload.bin"));
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(content), content.size());
        }
        QVERIFY2(m_client->putObjectFromFile(kBucket, "videos/clip.mp4", source, "video/mp4"), "upload failed");

        const QString target = m_tmp.filePath(QStringLiteral("download.bin"));
        auto written = m_client->getObjectToFile(kBucket, "videos/clip.mp4", target);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        QCOMPARE(*written, content.size());
        QVERIFY(readAll(target) == content);

        auto head = m_client->headObject(kBucket, "videos/clip.mp4");
        QVERIFY2(head, qPrintable(head ? QString() : head.error().message));
        QCOMPARE(head->size, content.size());
        QCOMPARE(head->contentType, QByteArray("video/mp4"));
        const QByteArray md5 = QCryptographicHash::hash(content, QCryptographicHash::Md5).toHex();
        QCOMPARE(head->etag, '"' + md5 + '"');
        QVERIFY(head->lastModified.isValid());
        QVERIFY(qAbs(head->lastModified.secsTo(QDateTime::currentDateTimeUtc())) < 120);
    }

    void headReturnsMetadata()
    {
        requireServer();
        QVERIFY(m_client->putObject(kBucket, "meta/photo.jpg", "jpegbytes", "image/jpeg",
                                    {{"origin", "camera"}, {"triage-version", "3"}}));
        auto head = m_client->headObject(kBucket, "meta/photo.jpg");
        QVERIFY(head);
        QCOMPARE(head->size, 9);
        QCOMPARE(head->metadata.value("origin"), QByteArray("camera"));
        QCOMPARE(head->metadata.value("triage-version"), QByteArray("3"));
        QCOMPARE(head->metadata.size(), 2);

        auto bad = m_client->putObject(kBucket, "meta/x", "x", "text/plain", {{"Bad Name", "v"}});
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, Error::Code::InvalidArgument);
    }

    void unusualKeysRoundTrip_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("space") << QStringLiteral("trip/with space.jpg");
        QTest::newRow("plus") << QStringLiteral("trip/a+b.jpg");
        QTest::newRow("percent") << QStringLiteral("trip/100%25 sure %.jpg");
        QTest::newRow("hash") << QStringLiteral("trip/#1.jpg");
        QTest::newRow("question") << QStringLiteral("trip/why?.jpg");
        QTest::newRow("ampersand-equals") << QStringLiteral("trip/a&b=c;d.jpg");
        QTest::newRow("unicode") << QStringLiteral("trip/Ünïcødé 日本 😀.jpg");
        QTest::newRow("mixed") << QStringLiteral("trip/Été +%#? x.jpg");
        QTest::newRow("deep") << QStringLiteral("trip/2026/09/20/a/b/c/d/e/IMG_0042.JPG");
        QTest::newRow("reserved") << QStringLiteral("trip/!*'()[]{}$@,:~.jpg");
        QTest::newRow("xml-ish") << QStringLiteral("trip/<tag> & \"quote\".jpg");
        QTest::newRow("trailing-slash") << QStringLiteral("trip/folder/");
        // 1024 bytes, the most S3 allows (s3rver stores keys as file paths: segments < 255 bytes).
        QString longKey = QStringLiteral("trip");
        while (longKey.size() < 1024 - 101)
            longKey += u'/' + QString(100, u'x');
        longKey += u'/' + QString(1024 - longKey.size() - 1, u'y');
        QTest::newRow("longest") << longKey;
    }

    void unusualKeysRoundTrip()
    {
        requireServer();
        QFETCH(QString, key);
        const QByteArray body = key.toUtf8();
        const Status put = m_client->putObject(kBucket, key, body, "text/plain");
        QVERIFY2(put, qPrintable(put ? QString() : put.error().message));
        auto got = m_client->getObject(kBucket, key);
        QVERIFY2(got, qPrintable(got ? QString() : got.error().message));
        QCOMPARE(*got, body);
        // The server stored exactly this key (not a decoded or double-encoded variant).
        auto listed = m_client->listObjects(kBucket, key);
        QVERIFY2(listed, qPrintable(listed ? QString() : listed.error().message));
        QStringList keys;
        for (const auto &object : *listed)
            keys << object.key;
        QVERIFY2(keys.contains(key), qPrintable(keys.join(u" | ")));
        QVERIFY(m_client->deleteObject(kBucket, key));
        QCOMPARE(m_client->headObject(kBucket, key).error().code, Error::Code::NotFound);
    }

    void invalidKeysAreRefusedBeforeSending_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("empty") << QString();
        QTest::newRow("too-long") << QString(1025, u'k');
        QTest::newRow("too-long-utf8") << QString(513, QChar(0xe9)); // 1026 bytes
        QTest::newRow("dot-dot") << QStringLiteral("trip/../etc/passwd");
        QTest::newRow("dot") << QStringLiteral("trip/./x.jpg");
    }

    void invalidKeysAreRefusedBeforeSending()
    {
        QFETCH(QString, key);
        ScriptedServer server;
        S3Client client(AwsConfig::make("us-east-1", AwsCredentials{"AKID", "SECRET", {}}, {{"s3", server.endpoint()}}),
                        fastOptions());
        const Status put = client.putObject(kBucket, key, "x", "text/plain");
        QVERIFY(!put);
        QCOMPARE(put.error().code, Error::Code::InvalidArgument);
        QCOMPARE(client.getObject(kBucket, key).error().code, Error::Code::InvalidArgument);
        QCOMPARE(client.presignPut(kBucket, key, {}, 60).error().code, Error::Code::InvalidArgument);
        QVERIFY(server.requests().isEmpty());
    }

    void listPaginates()
    {
        requireServer();
        S3ClientOptions options = fastOptions();
        options.listPageSize = 7;
        S3Client paged(s3rverConfig(), options);
        QStringList expected;
        for (int i = 0; i < 25; ++i) {
            const QString key = QStringLiteral("pages/item %1+.jpg").arg(i, 3, 10, QChar(u'0'));
            QVERIFY(paged.putObject(kBucket, key, QByteArray::number(i), "text/plain"));
            expected << key;
        }
        QVERIFY(paged.putObject(kBucket, "pagesX/outside.jpg", "x", "text/plain"));
        auto listed = paged.listObjects(kBucket, "pages/");
        QVERIFY2(listed, qPrintable(listed ? QString() : listed.error().message));
        QStringList keys;
        for (const auto &object : *listed) {
            keys << object.key;
            QVERIFY(object.etag.startsWith('"') && object.etag.endsWith('"'));
            QVERIFY(object.lastModified.isValid());
        }
        QCOMPARE(keys, expected);
        QCOMPARE(listed->at(10).size, 2);

        auto none = paged.listObjects(kBucket, "nothing-here/");
        QVERIFY(none);
        QVERIFY(none->empty());
    }

    void deleteObjectsInBatches()
    {
        requireServer();
        S3ClientOptions options = fastOptions();
        options.deleteBatchSize = 5;
        S3Client client(s3rverConfig(), options);
        QStringList keys;
        for (int i = 0; i < 11; ++i)
            keys << QStringLiteral("batch/%1.jpg").arg(i);
        keys << QStringLiteral("batch/R&D <draft>.jpg") << QStringLiteral("batch/ctrl\x01char.jpg");
        for (const QString &key : keys)
            QVERIFY2(client.putObject(kBucket, key, "x", "image/jpeg"), qPrintable(key));
        QStringList request = keys;
        request << QString(); // invalid: reported, not fatal
        auto outcome = client.deleteObjects(kBucket, request);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
        QCOMPARE(outcome->failed.size(), 1);
        QCOMPARE(outcome->failed.first().first, QString());
        QStringList deleted = outcome->deleted;
        deleted.sort();
        QStringList sortedKeys = keys;
        sortedKeys.sort();
        QCOMPARE(deleted, sortedKeys);
        auto left = client.listObjects(kBucket, "batch/");
        QVERIFY(left);
        QVERIFY2(left->empty(), qPrintable(left->empty() ? QString() : left->front().key));
    }

    void missingKeyAndBucketAreNotFound()
    {
        requireServer();
        auto get = m_client->getObject(kBucket, "no/such/key.jpg");
        QVERIFY(!get);
        QCOMPARE(get.error().code, Error::Code::NotFound);
        QVERIFY2(get.error().message.contains(u"s3://media/no/such/key.jpg"), qPrintable(get.error().message));
        QVERIFY2(get.error().message.contains(u"GetObject"), qPrintable(get.error().message));
        QCOMPARE(m_client->headObject(kBucket, "no/such/key.jpg").error().code, Error::Code::NotFound);

        const QString target = m_tmp.filePath(QStringLiteral("missing.jpg"));
        QCOMPARE(m_client->getObjectToFile(kBucket, "no/such/key.jpg", target).error().code, Error::Code::NotFound);
        QVERIFY(!QFile::exists(target));

        auto list = m_client->listObjects(QStringLiteral("no-such-bucket"), {});
        QVERIFY(!list);
        QCOMPARE(list.error().code, Error::Code::NotFound);
        QVERIFY2(list.error().message.contains(u"NoSuchBucket"), qPrintable(list.error().message));
        QCOMPARE(m_client->putObject(QStringLiteral("no-such-bucket"), "k", "x", "text/plain").error().code,
                 Error::Code::NotFound);
        QCOMPARE(m_client->deleteObjects(QStringLiteral("no-such-bucket"), {"a", "b"}).error().code,
                 Error::Code::NotFound);
        // Deleting a key that is not there succeeds, as on S3.
        QVERIFY(m_client->deleteObject(kBucket, "no/such/key.jpg"));
    }

    void downloadIntoUnwritablePlaceLeavesNothing()
    {
        requireServer();
        QVERIFY(m_client->putObject(kBucket, "photos/a.jpg", randomBytes(64 * 1024), "image/jpeg"));
        // A regular file where the folder should be: unwritable even for root.
        const QString blocker = m_tmp.filePath(QStringLiteral("not-a-dir"));
        {
            QFile f(blocker);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        auto written = m_client->getObjectToFile(kBucket, "photos/a.jpg", blocker + QStringLiteral("/a.jpg"));
        QVERIFY(!written);
        QCOMPARE(written.error().code, Error::Code::Io);
        QCOMPARE(m_client->lastAttempts(), 1); // a local failure is not retried

        const QString missingDir = m_tmp.filePath(QStringLiteral("no-such-dir/a.jpg"));
        QCOMPARE(m_client->getObjectToFile(kBucket, "photos/a.jpg", missingDir).error().code, Error::Code::Io);
        QVERIFY(!QFile::exists(missingDir));
        QCOMPARE(QDir(m_tmp.path()).entryList(QDir::Files | QDir::Hidden).filter(u"a.jpg"), QStringList());

        QCOMPARE(m_client->putObjectFromFile(kBucket, "x", m_tmp.filePath(QStringLiteral("absent.bin")), "x").error().code,
                 Error::Code::Io);
    }

    void presignedPutWorksWithPlainHttp()
    {
        requireServer();
        const QString key = QStringLiteral("uploads/Été 2026 #1+.jpg");
        auto url = m_client->presignPut(kBucket, key, "image/jpeg", 900);
        QVERIFY2(url, qPrintable(url ? QString() : url.error().message));
        const QUrlQuery query(*url);
        QCOMPARE(query.queryItemValue("X-Amz-Expires"), QStringLiteral("900"));
        QCOMPARE(query.queryItemValue("X-Amz-SignedHeaders", QUrl::FullyDecoded), QStringLiteral("content-type;host"));
        QVERIFY(url->toString(QUrl::FullyEncoded).contains(u"/media/uploads/%C3%89t%C3%A9%202026%20%231%2B.jpg?"));

        QNetworkAccessManager nam;
        QNetworkRequest request(*url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "image/jpeg");
        std::unique_ptr<QNetworkReply> reply(nam.put(request, QByteArray("presigned body")));
        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(*m_client->getObject(kBucket, key), QByteArray("presigned body"));

        QCOMPARE(m_client->presignPut(kBucket, key, {}, 0).error().code, Error::Code::InvalidArgument);
        QCOMPARE(m_client->presignPut(kBucket, key, {}, 604801).error().code, Error::Code::InvalidArgument);
    }

    void expiredPresignedUrlIsRefused()
    {
        requireServer();
        auto url = m_client->presignPut(kBucket, "uploads/late.jpg", {}, 1);
        QVERIFY(url);
        QTest::qWait(2100);
        QNetworkAccessManager nam;
        std::unique_ptr<QNetworkReply> reply(nam.put(QNetworkRequest(*url), QByteArray("late")));
        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
        QCOMPARE(m_client->headObject(kBucket, "uploads/late.jpg").error().code, Error::Code::NotFound);
    }

    void requestLineAndHeadersOnTheWire()
    {
        ScriptedServer server;
        S3Client client(AwsConfig::make("eu-west-1", AwsCredentials{"AKIDEXAMPLE", "SECRET", "SESSION-TOKEN"},
                                         {{"s3", server.endpoint()}}),
                        fastOptions());
        const QString key = QStringLiteral("in box/Été +%#?.jpg");
        QVERIFY(client.putObject(kBucket, key, "body", "image/jpeg"));
        QCOMPARE(server.requests().size(), 1);
        const auto &put = server.requests().first();
        QCOMPARE(put.requestLine, QByteArray("PUT /media/in%20box/%C3%89t%C3%A9%20%2B%25%23%3F.jpg HTTP/1.1"));
        QCOMPARE(put.headers.value("host"), QByteArray("127.0.0.1:") + QByteArray::number(server.endpoint().port()));
        QCOMPARE(put.headers.value("x-amz-content-sha256"), QCryptographicHash::hash("body", QCryptographicHash::Sha256).toHex());
        QCOMPARE(put.headers.value("content-md5"), QCryptographicHash::hash("body", QCryptographicHash::Md5).toBase64());
        QCOMPARE(put.headers.value("x-amz-security-token"), QByteArray("SESSION-TOKEN"));
        QCOMPARE(put.headers.value("content-type"), QByteArray("image/jpeg"));
        QCOMPARE(put.body, QByteArray("body"));
        QCOMPARE(put.headers.value("accept-encoding"), QByteArray("identity"));
        const QByteArray authorization = put.headers.value("authorization");
        QVERIFY2(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
                                          + QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd").toLatin1()
                                          + "/eu-west-1/s3/aws4_request, SignedHeaders=content-md5;content-type;host;"
                                            "x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="),
                 authorization.constData());
        QVERIFY(!authorization.contains("SECRET"));

        // S3 keys are not normalised: empty segments stay.
        QVERIFY(client.deleteObject(kBucket, "a//b/"));
        QCOMPARE(server.requests().last().requestLine, QByteArray("DELETE /media/a//b/ HTTP/1.1"));

        // Listing: query parameters are encoded by the SigV4 rules (a token with / + =).
        server.queue(ScriptedServer::response(
            200, "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>a/b+c=</NextContinuationToken>"
                 "<Contents><Key>p/1</Key><Size>1</Size></Contents></ListBucketResult>"));
        server.queue(ScriptedServer::response(
            200, "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>p/2</Key><Size>2</Size></Contents>"
                 "</ListBucketResult>"));
        auto listed = client.listObjects(kBucket, "p/ x");
        QVERIFY(listed);
        QCOMPARE(listed->size(), size_t(2));
        QCOMPARE(server.requests().at(2).requestLine, QByteArray("GET /media?list-type=2&prefix=p%2F%20x HTTP/1.1"));
        QCOMPARE(server.requests().at(3).requestLine,
                 QByteArray("GET /media?list-type=2&prefix=p%2F%20x&continuation-token=a%2Fb%2Bc%3D HTTP/1.1"));
    }

    void getObjectStaysBoundedWhenTheObjectGrows()
    {
        ScriptedServer server;
        S3Client client(AwsConfig::make("us-east-1", AwsCredentials{"AKID", "SECRET", {}}, {{"s3", server.endpoint()}}),
                        fastOptions());
        // HEAD says 5 bytes; by the GET the object has become 100 bytes.
        server.queue(ScriptedServer::response(200, {}, "ETag: \"e\"\r\n").replace("Content-Length: 0", "Content-Length: 5"));
        server.queue(ScriptedServer::response(206, "0123456789", "Content-Range: bytes 0-9/100\r\n"));
        auto got = client.getObject(kBucket, "k", 9);
        QVERIFY(!got);
        QCOMPARE(got.error().code, Error::Code::InvalidArgument);
        QVERIFY2(got.error().message.contains(u"100 bytes"), qPrintable(got.error().message));
        QCOMPARE(server.requests().size(), 2);
        QVERIFY(server.requests().at(0).requestLine.startsWith("HEAD /media/k "));
        QCOMPARE(server.requests().at(1).headers.value("range"), QByteArray("bytes=0-9"));
    }

    void connectionCutMidDownload()
    {
        ScriptedServer server;
        S3Client client(AwsConfig::make("us-east-1", AwsCredentials{"AKID", "SECRET", {}}, {{"s3", server.endpoint()}}),
                        fastOptions());
        const QString target = m_tmp.filePath(QStringLiteral("cut.bin"));
        const QByteArray whole = randomBytes(200000);

        // Cut once, then complete: the retry delivers the whole object, never a spliced one.
        server.queue(ScriptedServer::cutResponse(200, whole.left(70000), whole.size()));
        // Qt itself may send the request again after the cut: every later answer is the whole object.
        for (int i = 0; i < 4; ++i)
            server.queue(ScriptedServer::response(200, whole));
        auto written = client.getObjectToFile(kBucket, "big.bin", target);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        QCOMPARE(*written, whole.size());
        QVERIFY(readAll(target) == whole);
        QVERIFY(client.lastAttempts() <= 2);

        // Cut every time: a network error, and no file at all.
        QFile::remove(target);
        ScriptedServer cutting;
        S3Client cutClient(AwsConfig::make("us-east-1", AwsCredentials{"AKID", "SECRET", {}}, {{"s3", cutting.endpoint()}}),
                           fastOptions());
        for (int i = 0; i < 10; ++i)
            cutting.queue(ScriptedServer::cutResponse(200, whole.left(70000), whole.size()));
        written = cutClient.getObjectToFile(kBucket, "big.bin", target);
        QVERIFY(!written);
        QCOMPARE(written.error().code, Error::Code::Network);
        QVERIFY2(written.error().message.contains(u"s3://media/big.bin"), qPrintable(written.error().message));
        QCOMPARE(cutClient.lastAttempts(), 3);
        QVERIFY(!QFile::exists(target));
        QCOMPARE(QDir(m_tmp.path()).entryList(QDir::Files | QDir::Hidden).filter(u"cut.bin"), QStringList());
    }

    void retriesServerErrorsThenSucceeds()
    {
        ScriptedServer server;
        S3Client client(AwsConfig::make("us-east-1", AwsCredentials{"AKID", "SECRET", {}}, {{"s3", server.endpoint()}}),
                        fastOptions());
        server.queue(ScriptedServer::s3Error(503, "SlowDown"));
        server.queue(ScriptedServer::s3Error(500, "InternalError"));
        server.queue(ScriptedServer::response(200, "{}"));
        const Status put = client.putObject(kBucket, "k", "payload", "application/json");
        QVERIFY2(put, qPrintable(put ? QString() : put.error().message));
        QCOMPARE(client.lastAttempts(), 3);
        QCOMPARE(server.requests().size(), 3);
        for (const auto &request : server.requests())
            QCOMPARE(request.body, QByteArray("payload"));

        for (int i = 0; i < 3; ++i)
            server.queue(ScriptedServer::s3Error(503, "SlowDown"));
        auto failed = client.deleteObject(kBucket, "k");
        QVERIFY(!failed);
        QCOMPARE(failed.error().code, Error::Code::Network);
        QVERIFY2(failed.error().message.contains(u"SlowDown"), qPrintable(failed.error().message));
        QCOMPARE(client.lastAttempts(), 3);

        // Permanent errors are not retried.
        server.queue(ScriptedServer::s3Error(403, "AccessDenied"));
        auto denied = client.deleteObject(kBucket, "k");
        QCOMPARE(denied.error().code, Error::Code::PermissionDenied);
        QCOMPARE(client.lastAttempts(), 1);
    }

    void expiredTokenRereadsCredentialsOnce()
    {
        ScriptedServer server;
        int calls = 0;
        auto provider = [&calls]() -> Result<AwsCredentials> {
            ++calls;
            return AwsCredentials{"AKID", "SECRET", "token-" + QByteArray::number(calls)};
        };
        S3Client client(AwsConfig::make("us-east-1", provider, {{"s3", server.endpoint()}}), fastOptions());
        server.queue(ScriptedServer::s3Error(400, "ExpiredToken"));
        server.queue(ScriptedServer::response(200));
        QVERIFY(client.deleteObject(kBucket, "k"));
        QCOMPARE(server.requests().size(), 2);
        QCOMPARE(server.requests().at(0).headers.value("x-amz-security-token"), QByteArray("token-1"));
        QCOMPARE(server.requests().at(1).headers.value("x-amz-security-token"), QByteArray("token-2"));

        // Only once: a second ExpiredToken is the answer.
        server.queue(ScriptedServer::s3Error(400, "ExpiredToken"));
        server.queue(ScriptedServer::s3Error(400, "ExpiredToken"));
        server.queue(ScriptedServer::response(200));
        auto again = client.deleteObject(kBucket, "k");
        QVERIFY(!again);
        QVERIFY2(again.error().message.contains(u"ExpiredToken"), qPrintable(again.error().message));
        QVERIFY(!again.error().message.contains(u"token-"));
        QCOMPARE(client.lastAttempts(), 2);
    }

    void missingCredentialsAreReportedNotSent()
    {
        ScriptedServer server;
        auto provider = []() -> Result<AwsCredentials> {
            return makeError(Error::Code::PermissionDenied, QStringLiteral("no AWS credentials found"));
        };
        S3Client client(AwsConfig::make("us-east-1", provider, {{"s3", server.endpoint()}}), fastOptions());
        auto got = client.getObject(kBucket, "k");
        QCOMPARE(got.error().code, Error::Code::PermissionDenied);
        QCOMPARE(got.error().message, QStringLiteral("no AWS credentials found"));
        QVERIFY(server.requests().isEmpty());
    }

    void hungServerTimesOut()
    {
        ScriptedServer server;
        S3ClientOptions options = fastOptions();
        options.requestTimeout = 300ms;
        S3Client client(AwsConfig::make("us-east-1", AwsCredentials{"AKID", "SECRET", {}}, {{"s3", server.endpoint()}}),
                        options);
        for (int i = 0; i < 5; ++i)
            server.queue({}); // never answer
        QElapsedTimer timer;
        timer.start();
        auto got = client.getObject(kBucket, "k");
        QVERIFY(!got);
        QCOMPARE(got.error().code, Error::Code::Timeout);
        QVERIFY2(timer.elapsed() < 3000, QByteArray::number(timer.elapsed()).constData());
        QCOMPARE(client.lastAttempts(), 2); // one retry for a stalled server, not more
    }

    void cancellationStopsAtOnce()
    {
        ScriptedServer server;
        S3Client client(AwsConfig::make("us-east-1", AwsCredentials{"AKID", "SECRET", {}}, {{"s3", server.endpoint()}}),
                        fastOptions());
        CancellationToken cancelled;
        cancelled.cancel();
        QCOMPARE(client.getObject(kBucket, "k", 100, cancelled).error().code, Error::Code::Cancelled);

        server.queue({});
        CancellationToken deadline;
        deadline.setTimeout(200ms);
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(client.headObject(kBucket, "k", deadline).error().code, Error::Code::Cancelled);
        QVERIFY(timer.elapsed() < 2000);
    }

    void killedServerGivesNetworkError()
    {
        if (!mt::test::S3rver::installed())
            QSKIP(qPrintable(mt::test::S3rver::notInstalledReason()));
        mt::test::S3rver doomed;
        QVERIFY2(doomed.start({QStringLiteral("short-lived")}), qPrintable(doomed.errorString()));
        S3Client client(AwsConfig::make("us-east-1", AwsCredentials{"S3RVER", "S3RVER", {}}, {{"s3", doomed.endpoint()}}),
                        fastOptions());
        QVERIFY(client.putObject(QStringLiteral("short-lived"), "a", "x", "text/plain"));
        doomed.stop();
        QElapsedTimer timer;
        timer.start();
        auto got = client.getObject(QStringLiteral("short-lived"), "a");
        QVERIFY(!got);
        QCOMPARE(got.error().code, Error::Code::Network);
        QVERIFY2(got.error().message.contains(u"s3://short-lived/a"), qPrintable(got.error().message));
        QCOMPARE(client.lastAttempts(), 3);
        QVERIFY2(timer.elapsed() < 5000, QByteArray::number(timer.elapsed()).constData());
    }
};

QTEST_GUILESS_MAIN(TestS3Client)
#include "tst_s3_client.moc"
