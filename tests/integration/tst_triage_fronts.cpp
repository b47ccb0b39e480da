// One folder through the three fronts — `mediatriage-cli triage --engine local --json`, the app's
// path (TriageSession, then TriageReport), and the Lambda's triage job (bootstrap against s3rver,
// then results.json) — must give the same result document, item by item. The offline engine is
// deterministic, so any difference is a front doing its own thing.
#include "CliRun.h"
#include "QualityScenes.h"
#include "S3rver.h"
#include "TriageTestSupport.h"

#include "aws/AwsConfig.h"
#include "aws/S3Client.h"
#include "media/FolderScanner.h"
#include "triage/TriageReport.h"
#include "triage/TriageSession.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace mt;
using nlohmann::json;

namespace {

const QString kBucket = QStringLiteral("media");
const QString kPrefix = QStringLiteral("fronts/");

json parse(const QByteArray &bytes) { return json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false); }

QString text(const json &value) { return QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump()); }

// What names another item (a path for the CLI and the app, a key for the Lambda), as a file name.
json asFileName(const json &value)
{
    if (!value.is_string())
        return value;
    const std::string s = value.get<std::string>();
    return s.substr(s.rfind('/') + 1);
}

QSet<QString> memberNames(const json &object)
{
    QSet<QString> names;
    for (const auto &[name, value] : object.items())
        names.insert(QString::fromStdString(name));
    return names;
}

// Items by file name.
std::map<std::string, json> itemsByFile(const json &doc)
{
    std::map<std::string, json> byFile;
    for (const json &item : doc["items"])
        byFile[item["file"].get<std::string>()] = item;
    return byFile;
}

} // namespace

class TestTriageFronts : public QObject {
    Q_OBJECT

    QTemporaryDir m_media;
    QTemporaryDir m_home;
    test::S3rver m_s3rver;

    QString mediaFile(const QString &name) const { return m_media.filePath(name); }

    // The folder: a near-duplicate pair, a byte-identical copy, a dark and a blurry shot, a broken
    // file, a Live Photo (still + 2 s clip) and an accidental 1 s clip.
    bool writeFolder()
    {
        const QImage scene = test::texturedScene(800, 600, 77);
        return test::withNoise(scene, 1.5, 1).save(mediaFile(QStringLiteral("a-sharp.jpg")), "JPEG", 90)
            && test::withNoise(scene.copy(4, 3, 787, 590), 1.5, 2).save(mediaFile(QStringLiteral("b-sharp-again.jpg")), "JPEG", 90)
            && test::blackFrame(800, 600, 3).save(mediaFile(QStringLiteral("c-black.jpg")), "JPEG", 90)
            && test::defocus(test::texturedScene(800, 600, 78), 0.03).save(mediaFile(QStringLiteral("d-blurry.jpg")), "JPEG", 90)
            && QFile::copy(mediaFile(QStringLiteral("a-sharp.jpg")), mediaFile(QStringLiteral("e-copy.jpg")))
            && writeBroken(mediaFile(QStringLiteral("f-broken.jpg")))
            && test::texturedScene(800, 600, 79).save(mediaFile(QStringLiteral("g-live.jpg")), "JPEG", 90)
            && testing::copyFixture(QStringLiteral("nometa.mp4"), mediaFile(QStringLiteral("g-live.mp4")))
            && testing::copyFixture(QStringLiteral("clip.webm"), mediaFile(QStringLiteral("h-clip.webm")));
    }
    static bool writeBroken(const QString &path)
    {
        QFile broken(path);
        return broken.open(QIODevice::WriteOnly)
            && broken.write(QByteArray::fromHex("ffd8ffe000104a464946") + QByteArray(200, '\x11')) > 0;
    }

    QProcessEnvironment baseEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith(QLatin1String("AWS_")) || name.startsWith(QLatin1String("GEMINI_"))
                || name == QLatin1String("GOOGLE_API_KEY") || name.startsWith(QLatin1String("MT_LAMBDA")))
                env.remove(name);
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        return env;
    }

    json cliDocument()
    {
        const test::CliRun run = test::runCli({QStringLiteral("triage"), QStringLiteral("--engine"), QStringLiteral("local"),
                                               QStringLiteral("--json"), m_media.path()},
                                              baseEnvironment(), 240000);
        // Exit code 1: the broken file is an item error, the rest is judged.
        if (run.exitCode != 1)
            qWarning("cli exit %d: %s", run.exitCode, run.err.constData());
        return parse(run.out);
    }

    json appDocument()
    {
        const std::vector<MediaItem> items = FolderScanner(ScanOptions{false}).scanPaths({m_media.path()});
        SessionOptions options;
        options.engine = EngineChoice::Local;
        options.storePath = m_home.filePath(QStringLiteral("app-verdicts.sqlite"));
        const TriageRun run = TriageSession(options).run(items);
        return parse(QByteArray::fromStdString(TriageReport::fromRun(run, &items).toJson().dump()));
    }

    json lambdaDocument()
    {
        aws::S3Client s3(aws::AwsConfig::make(
            "us-east-1", aws::AwsCredentials{test::S3rver::accessKeyId(), test::S3rver::secretAccessKey(), {}},
            {{"s3", m_s3rver.endpoint()}}));
        for (const QString &name : QDir(m_media.path()).entryList(QDir::Files))
            if (!s3.putObjectFromFile(kBucket, kPrefix + name, mediaFile(name), "application/octet-stream"))
                return json();
        QTemporaryDir work;
        QFile event(work.filePath(QStringLiteral("event.json")));
        if (!event.open(QIODevice::WriteOnly))
            return json();
        event.write(QByteArray::fromStdString(json{{"action", "triage"}, {"bucket", "media"}, {"prefix", "fronts/"}}.dump()));
        event.close();
        QProcessEnvironment env = baseEnvironment();
        env.insert(QStringLiteral("TMPDIR"), work.path());
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(test::S3rver::accessKeyId()));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(test::S3rver::secretAccessKey()));
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_S3"), m_s3rver.endpoint().toString());
        env.insert(QStringLiteral("MEDIA_BUCKET"), kBucket);
        QProcess bootstrap;
        bootstrap.setProcessEnvironment(env);
        bootstrap.setStandardOutputFile(work.filePath(QStringLiteral("stdout")));
        bootstrap.setStandardErrorFile(work.filePath(QStringLiteral("stderr")));
        bootstrap.start(QStringLiteral(MT_BOOTSTRAP_PATH), {QStringLiteral("--event"), event.fileName(), QStringLiteral("--request-id"),
                                                           QStringLiteral("fronts-1"), QStringLiteral("--timeout-s"), QStringLiteral("600")});
        if (!bootstrap.waitForFinished(300000) || bootstrap.exitCode() != 0) {
            bootstrap.kill();
            bootstrap.waitForFinished();
            QFile err(work.filePath(QStringLiteral("stderr")));
            err.open(QIODevice::ReadOnly);
            qWarning("bootstrap failed: %s", err.readAll().constData());
            return json();
        }
        auto results = s3.getObject(kBucket, kPrefix + QStringLiteral("_triage/results.json"));
        return results ? parse(*results) : json();
    }

    // `other` has the reference's items with the same members (but for the front's own ones) and
    // the same values; path-like values are compared by file name.
    void compareItems(const json &reference, const json &other, const QSet<QString> &ownMembers, const char *front)
    {
        const auto expected = itemsByFile(reference);
        const auto actual = itemsByFile(other);
        QCOMPARE(actual.size(), expected.size());
        const QSet<QString> pathLike{QStringLiteral("similar_to"), QStringLiteral("live_photo_of"), QStringLiteral("identical_to")};
        for (const auto &[file, want] : expected) {
            QVERIFY2(actual.count(file), qPrintable(QStringLiteral("%1 has no %2").arg(front, QString::fromStdString(file))));
            const json &got = actual.at(file);
            // The CLI and the app name the same local file; the Lambda names a key instead.
            QVERIFY(!got.contains("path") || got["path"] == want["path"]);
            QSet<QString> wantNames = memberNames(want);
            wantNames.remove(QStringLiteral("path"));
            QSet<QString> gotNames = memberNames(got) - ownMembers;
            gotNames.remove(QStringLiteral("path"));
            QCOMPARE(gotNames, wantNames);
            for (const QString &name : wantNames) {
                const std::string member = name.toStdString();
                json a = pathLike.contains(name) ? asFileName(got[member]) : got[member];
                json b = pathLike.contains(name) ? asFileName(want[member]) : want[member];
                for (json *g : {&a, &b}) { // a group names its keeper, a motion its clip: a path, or the Lambda's key
                    if (name == QLatin1String("group") && g->is_object())
                        (*g)["keeper"] = asFileName((*g)["keeper"]);
                    if (name == QLatin1String("motion") && g->is_object())
                        (*g)["clip"]["path"] = asFileName((*g)["clip"]["path"]);
                }
                QVERIFY2(a == b, qPrintable(QStringLiteral("%1, %2, %3: %4 instead of %5")
                                                .arg(front, QString::fromStdString(file), name, text(a), text(b))));
            }
        }
    }

    void compareHeaders(const json &reference, const json &other, const QSet<QString> &ownMembers, const char *front)
    {
        QCOMPARE(memberNames(other) - ownMembers, memberNames(reference));
        for (const char *name : {"schema_version", "engine", "model", "stopped", "unsaved_verdicts", "usage"})
            QVERIFY2(other[name] == reference[name], qPrintable(QStringLiteral("%1: %2").arg(front, QLatin1String(name))));
        for (const auto &[name, value] : reference["counts"].items())
            QVERIFY2(other["counts"][name] == value, qPrintable(QStringLiteral("%1: counts.%2").arg(front, QString::fromStdString(name))));
    }

private slots:
    void initTestCase()
    {
        if (!test::S3rver::installed())
            QSKIP(qPrintable(test::S3rver::notInstalledReason()));
        QVERIFY(m_media.isValid() && m_home.isValid());
        QVERIFY2(m_s3rver.start({kBucket}), qPrintable(m_s3rver.errorString()));
        QVERIFY(writeFolder());
    }

    void sameDocumentFromEveryFront()
    {
        const json cli = cliDocument();
        QVERIFY2(cli.is_object() && cli["items"].size() == 9, cli.dump().c_str());
        const json app = appDocument();
        QVERIFY(app.is_object());
        const json lambda = lambdaDocument();
        QVERIFY2(lambda.is_object(), "no results.json from the Lambda");

        // The folder exercises what the comparison is about, so equal documents mean something.
        const auto items = itemsByFile(cli);
        QCOMPARE(text(items.at("f-broken.jpg")["verdict"]), QStringLiteral("error"));
        QVERIFY(items.at("f-broken.jpg")["error_code"].is_string());
        QCOMPARE(text(asFileName(items.at("g-live.mp4")["live_photo_of"])), QStringLiteral("g-live.jpg"));
        QCOMPARE(text(items.at("c-black.jpg")["verdict"]), QStringLiteral("discard"));
        QVERIFY(items.at("a-sharp.jpg")["duplicate_group"].is_number());
        QCOMPARE(text(cli["engine"]), QStringLiteral("local"));

        compareHeaders(cli, app, {}, "app");
        compareItems(cli, app, {}, "app");
        const QSet<QString> lambdaHeader{QStringLiteral("bucket"), QStringLiteral("prefix"), QStringLiteral("request_id"),
                                         QStringLiteral("partial"), QStringLiteral("note")};
        compareHeaders(cli, lambda, lambdaHeader, "lambda");
        QCOMPARE(text(lambda["partial"]), QStringLiteral("false"));
        QCOMPARE(text(lambda["request_id"]), QStringLiteral("fronts-1"));
        compareItems(cli, lambda, {QStringLiteral("key"), QStringLiteral("etag"), QStringLiteral("thumbnail")}, "lambda");
        for (const json &item : lambda["items"])
            QCOMPARE(text(item["key"]), kPrefix + text(item["file"]));
    }
};

QTEST_GUILESS_MAIN(TestTriageFronts)
#include "tst_triage_fronts.moc"
