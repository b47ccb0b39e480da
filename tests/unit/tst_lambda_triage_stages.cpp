// The pure stages of the Lambda's triage job: which stored verdicts are reused, which listed
// objects become items, how the engine's outcome maps back onto keys, and results.json.
#include "lambda/TriageJobStages.h"

#include <QTest>

using namespace mt;
using mt::lambda::JobEntry;
using mt::lambda::TriageJobStages;
using nlohmann::json;

Q_DECLARE_METATYPE(json)

// QCOMPARE cannot print (or even pick an overload for) nlohmann::json.
#define COMPARE_JSON(actual, expected)                                                                   \
    do {                                                                                                 \
        const json a_ = (actual), e_ = (expected);                                                       \
        QVERIFY2(a_ == e_, (a_.dump() + " instead of " + e_.dump()).c_str());                            \
    } while (false)

namespace {

aws::S3ObjectInfo object(const char *key, qint64 size = 100, const char *etag = "\"e1\"")
{
    return aws::S3ObjectInfo{QString::fromUtf8(key), size, QByteArray(etag), {}};
}

// Entries as a download would leave them: every listed object judged from a local copy.
std::vector<JobEntry> downloaded(const QStringList &keys)
{
    std::vector<aws::S3ObjectInfo> listing;
    for (const QString &key : keys)
        listing.push_back(aws::S3ObjectInfo{key, 100, "\"e\"", {}});
    auto entries = TriageJobStages::entriesFromListing(listing, QStringLiteral("p/"), {});
    for (size_t i = 0; i < entries.size(); ++i) {
        entries[i].localPath = QStringLiteral("/work/media/") + entries[i].relative;
        entries[i].item = int(i);
    }
    return entries;
}

TriageItemResult judged(const QString &path, VerdictKind verdict, const QString &reason)
{
    TriageItemResult r;
    r.path = path;
    r.verdict = verdict;
    r.reason = reason;
    r.source = VerdictSource::Local;
    return r;
}

} // namespace

class TestLambdaTriageStages : public QObject {
    Q_OBJECT
private slots:
    void rememberedVerdicts_data()
    {
        QTest::addColumn<json>("doc");
        QTest::addColumn<QStringList>("reusable");
        const json items = json::array({{{"key", "p/a.jpg"}, {"verdict", "keep"}, {"etag", "e1"}, {"size_bytes", 100}},
                                        {{"key", "p/b.jpg"}, {"verdict", "discard"}, {"etag", "e2"}, {"size_bytes", 5}},
                                        {{"key", "p/c.jpg"}, {"verdict", "error"}, {"etag", "e3"}, {"size_bytes", 5}}});
        QTest::newRow("same engine and model") << json{{"engine", "gemini"}, {"model", "m1"}, {"items", items}}
                                               << QStringList{QStringLiteral("p/a.jpg"), QStringLiteral("p/b.jpg")};
        QTest::newRow("other engine") << json{{"engine", "local"}, {"model", "m1"}, {"items", items}} << QStringList{};
        QTest::newRow("other model") << json{{"engine", "gemini"}, {"model", "m2"}, {"items", items}} << QStringList{};
        QTest::newRow("items not an array") << json{{"engine", "gemini"}, {"model", "m1"}, {"items", 7}} << QStringList{};
        QTest::newRow("not an object") << json::array({1, 2}) << QStringList{};
        QTest::newRow("junk items") << json{{"engine", "gemini"}, {"model", "m1"},
                                            {"items", json::array({7, {{"key", 3}, {"verdict", "keep"}}, {{"verdict", "keep"}}})}}
                                    << QStringList{};
    }
    void rememberedVerdicts()
    {
        QFETCH(json, doc);
        QFETCH(QStringList, reusable);
        const auto remembered = TriageJobStages::rememberedVerdicts(doc, QStringLiteral("gemini"), QStringLiteral("m1"));
        QStringList keys = remembered.keys();
        keys.sort();
        QCOMPARE(keys, reusable);
        if (remembered.contains(QStringLiteral("p/b.jpg"))) {
            QCOMPARE(remembered[QStringLiteral("p/b.jpg")].verdict, VerdictKind::Discard);
            QCOMPARE(remembered[QStringLiteral("p/b.jpg")].sizeBytes, qint64(5));
            QCOMPARE(remembered[QStringLiteral("p/b.jpg")].etag, QByteArray("e2"));
        }
    }

    void entriesFromListing_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<QByteArray>("etag");
        QTest::addColumn<QString>("state"); // skipped, refused, reused, judge
        QTest::newRow("new photo") << QStringLiteral("p/new.jpg") << qint64(100) << QByteArray("\"e1\"") << QStringLiteral("judge");
        QTest::newRow("unchanged") << QStringLiteral("p/old.jpg") << qint64(100) << QByteArray("\"e1\"") << QStringLiteral("reused");
        QTest::newRow("other etag") << QStringLiteral("p/old.jpg") << qint64(100) << QByteArray("\"e2\"") << QStringLiteral("judge");
        QTest::newRow("other size") << QStringLiteral("p/old.jpg") << qint64(101) << QByteArray("\"e1\"") << QStringLiteral("judge");
        QTest::newRow("folder marker") << QStringLiteral("p/sub/") << qint64(0) << QByteArray("\"e\"") << QStringLiteral("skipped");
        QTest::newRow("our thumbnail") << QStringLiteral("p/_triage/thumbs/x.jpg.jpg") << qint64(9) << QByteArray("\"e\"")
                                       << QStringLiteral("skipped");
        QTest::newRow("not media") << QStringLiteral("p/notes.txt") << qint64(9) << QByteArray("\"e\"") << QStringLiteral("skipped");
        QTest::newRow("hostile key") << QStringLiteral("p/../x.jpg") << qint64(9) << QByteArray("\"e\"") << QStringLiteral("refused");
        QTest::newRow("video") << QStringLiteral("p/clip.mov") << qint64(9) << QByteArray("\"e\"") << QStringLiteral("judge");
    }
    void entriesFromListing()
    {
        QFETCH(QString, key);
        QFETCH(qint64, size);
        QFETCH(QByteArray, etag);
        QFETCH(QString, state);
        lambda::RememberedVerdicts remembered;
        remembered.insert(QStringLiteral("p/old.jpg"),
                          {"e1", 100, VerdictKind::Discard, QStringLiteral("blurry"), QStringLiteral("p/_triage/thumbs/old.jpg.jpg")});
        int skipped = -1;
        const auto entries = TriageJobStages::entriesFromListing({aws::S3ObjectInfo{key, size, etag, {}}}, QStringLiteral("p/"),
                                                                 remembered, &skipped);
        QCOMPARE(skipped, state == QLatin1String("skipped") ? 1 : 0);
        if (state == QLatin1String("skipped")) {
            QVERIFY(entries.empty());
            return;
        }
        QCOMPARE(entries.size(), size_t(1));
        const JobEntry &e = entries.front();
        QCOMPARE(e.key, key);
        QCOMPARE(e.sizeBytes, size);
        QCOMPARE(e.toJudge, state == QLatin1String("judge"));
        QCOMPARE(e.reused, state == QLatin1String("reused"));
        QVERIFY(e.kind.has_value());
        if (state == QLatin1String("refused")) {
            QCOMPARE(e.result.verdict, VerdictKind::Error);
            QVERIFY(e.result.error && e.result.error->code == Error::Code::InvalidArgument);
            QVERIFY(e.result.errorMessage().contains(QLatin1String("refused key")));
            QVERIFY(e.relative.isEmpty());
        } else if (state == QLatin1String("reused")) {
            QCOMPARE(e.result.verdict, VerdictKind::Discard);
            QCOMPARE(e.result.reason, QStringLiteral("blurry"));
            QCOMPARE(e.result.source, VerdictSource::Cache);
            QCOMPARE(e.thumbnailKey, QStringLiteral("p/_triage/thumbs/old.jpg.jpg"));
        } else {
            QCOMPARE(e.relative, key);
            QVERIFY(!e.result.error);
            QVERIFY(e.thumbnailKey.isEmpty()); // set only once one is uploaded
        }
    }

    void listingOrderIsKept()
    {
        const auto entries = TriageJobStages::entriesFromListing({object("p/b.jpg"), object("p/x.txt"), object("p/a.jpg")},
                                                                 QStringLiteral("p/"), {});
        QCOMPARE(entries.size(), size_t(2));
        QCOMPARE(entries[0].key, QStringLiteral("p/b.jpg"));
        QCOMPARE(entries[1].key, QStringLiteral("p/a.jpg"));
    }

    void outcomeAfterDeadline_data()
    {
        QTest::addColumn<int>("code"); // -1: the engine never reached the item
        QTest::addColumn<bool>("deadlineHit");
        QTest::addColumn<bool>("unfinished");
        QTest::newRow("cancelled at the deadline") << int(Error::Code::Cancelled) << true << true;
        QTest::newRow("timed out at the deadline") << int(Error::Code::Timeout) << true << true;
        QTest::newRow("corrupt at the deadline") << int(Error::Code::Corrupt) << true << false;
        QTest::newRow("network error at the deadline") << int(Error::Code::Network) << true << false;
        QTest::newRow("cancelled, no deadline") << int(Error::Code::Cancelled) << false << false;
        QTest::newRow("never reached") << -1 << false << true;
    }
    void outcomeAfterDeadline()
    {
        QFETCH(int, code);
        QFETCH(bool, deadlineHit);
        QFETCH(bool, unfinished);
        auto entries = downloaded({QStringLiteral("p/a.jpg")});
        std::vector<TriageItemResult> outcome(1);
        if (code >= 0)
            outcome[0] = errorResult(entries[0].localPath, VerdictSource::Gemini,
                                     makeError(Error::Code(code), QStringLiteral("whatever the text says")));
        TriageJobStages::applyOutcome(entries, outcome, deadlineHit);
        QCOMPARE(entries[0].unfinished, unfinished);
        QCOMPARE(entries[0].result.verdict, VerdictKind::Error);
        QCOMPARE(entries[0].result.path, QStringLiteral("p/a.jpg"));
        QVERIFY(entries[0].result.error);
        if (unfinished)
            QCOMPARE(entries[0].result.errorMessage(), QStringLiteral("not judged before the deadline"));
        else
            QCOMPARE(entries[0].result.error->code, Error::Code(code));
    }

    void outcomeNamesKeysNotLocalPaths()
    {
        auto entries = downloaded({QStringLiteral("p/IMG_1.jpg"), QStringLiteral("p/IMG_1.mov"), QStringLiteral("p/IMG_2.jpg")});
        std::vector<TriageItemResult> outcome{judged(entries[0].localPath, VerdictKind::Keep, QStringLiteral("sharp")),
                                              judged(entries[1].localPath, VerdictKind::Keep, QStringLiteral("motion")),
                                              judged(entries[2].localPath, VerdictKind::Keep, QStringLiteral("similar"))};
        outcome[1].livePhotoOf = entries[0].localPath;
        outcome[0].duplicateGroup = outcome[2].duplicateGroup = 0;
        outcome[0].bestInGroup = true;
        outcome[2].similarTo = entries[0].localPath;
        TriageJobStages::applyOutcome(entries, outcome, false);
        QCOMPARE(entries[1].result.livePhotoOf, QStringLiteral("p/IMG_1.jpg"));
        QCOMPARE(entries[2].result.similarTo, QStringLiteral("p/IMG_1.jpg"));
        QCOMPARE(entries[2].result.duplicateGroup, 0);
        QCOMPARE(entries[0].result.reason, QStringLiteral("sharp"));
        for (const JobEntry &e : entries) {
            QCOMPARE(e.result.path, e.key);
            QVERIFY(!e.unfinished);
        }
    }

    void resultsDocument()
    {
        lambda::RememberedVerdicts remembered;
        remembered.insert(QStringLiteral("p/old.jpg"), {"e1", 100, VerdictKind::Keep, QStringLiteral("fine"),
                                                        QStringLiteral("p/_triage/thumbs/old.jpg.jpg")});
        auto entries = TriageJobStages::entriesFromListing(
            {object("p/old.jpg"), object("p/new.jpg", 42, "\"e9\""), object("p/late.jpg"), object("p/../bad.jpg")},
            QStringLiteral("p/"), remembered);
        QCOMPARE(entries.size(), size_t(4));
        entries[1].localPath = QStringLiteral("/w/new.jpg");
        entries[1].item = 0;
        entries[1].thumbnailKey = QStringLiteral("p/_triage/thumbs/new.jpg.jpg");
        entries[2].localPath = QStringLiteral("/w/late.jpg");
        entries[2].item = 1;
        TriageJobStages::applyOutcome(entries,
                                      {judged(QStringLiteral("/w/new.jpg"), VerdictKind::Discard, QStringLiteral("dark")),
                                       errorResult(QStringLiteral("/w/late.jpg"), VerdictSource::Gemini,
                                                   makeError(Error::Code::Cancelled, QStringLiteral("cancelled")))},
                                      true);
        const lambda::ResultsContext context{QStringLiteral("media"), QStringLiteral("p/"), "req-1", QStringLiteral("gemini"),
                                             QStringLiteral("m1"), {}, {}, 0, {}};
        const auto report = TriageJobStages::resultsReport(entries, context);
        const json doc = json::parse(report.toJson().dump());

        QCOMPARE(doc["schema_version"].get<int>(), TriageReport::kSchemaVersion);
        COMPARE_JSON(doc["bucket"], json("media"));
        COMPARE_JSON(doc["prefix"], json("p/"));
        COMPARE_JSON(doc["request_id"], json("req-1"));
        COMPARE_JSON(doc["partial"], json(true));
        QVERIFY(doc["note"].get<std::string>().find("1 item") != std::string::npos);
        COMPARE_JSON(doc["counts"], (json{{"items", 4}, {"keep", 1}, {"discard", 1}, {"errors", 2}, {"reused", 1}, {"unfinished", 1}}));
        const json &items = doc["items"];
        QCOMPARE(items.size(), size_t(4));
        COMPARE_JSON(items[0]["key"], json("p/old.jpg"));
        QVERIFY(!items[0].contains("path"));
        COMPARE_JSON(items[0]["source"], json("cache"));
        COMPARE_JSON(items[0]["thumbnail"], json("p/_triage/thumbs/old.jpg.jpg"));
        COMPARE_JSON(items[1]["etag"], json("e9")); // unquoted
        COMPARE_JSON(items[1]["size_bytes"], json(42));
        COMPARE_JSON(items[1]["verdict"], json("discard"));
        COMPARE_JSON(items[1]["kind"], json("photo"));
        COMPARE_JSON(items[1]["thumbnail"], json("p/_triage/thumbs/new.jpg.jpg"));
        COMPARE_JSON(items[2]["error_code"], json("timeout"));
        COMPARE_JSON(items[2]["thumbnail"], json()); // no thumbnail for what was not judged
        COMPARE_JSON(items[3]["error_code"], json("invalid_argument"));

        // What one run writes, the next one reads: the judged verdicts come back, errors do not.
        const auto again = TriageJobStages::rememberedVerdicts(doc, QStringLiteral("gemini"), QStringLiteral("m1"));
        QCOMPARE(again.size(), 2);
        QCOMPARE(again[QStringLiteral("p/new.jpg")].etag, QByteArray("e9"));
        QCOMPARE(again[QStringLiteral("p/new.jpg")].sizeBytes, qint64(42));
        QCOMPARE(again[QStringLiteral("p/new.jpg")].verdict, VerdictKind::Discard);
        const auto next = TriageJobStages::entriesFromListing({object("p/new.jpg", 42, "\"e9\"")}, QStringLiteral("p/"), again);
        QVERIFY(next.front().reused);
    }

    void completeRunHasNoNote()
    {
        auto entries = downloaded({QStringLiteral("p/a.jpg")});
        TriageJobStages::applyOutcome(entries, {judged(entries[0].localPath, VerdictKind::Keep, QStringLiteral("ok"))}, false);
        const json doc = json::parse(TriageJobStages::resultsReport(entries, {}).toJson().dump());
        COMPARE_JSON(doc["partial"], json(false));
        QVERIFY(doc["note"].is_null());
        COMPARE_JSON(doc["counts"]["unfinished"], json(0));
    }
};

QTEST_GUILESS_MAIN(TestLambdaTriageStages)
#include "tst_lambda_triage_stages.moc"
