// The one result document: field names, the person's overrides, errors with codes, CSV a
// spreadsheet reads back as written, atomic saving.
#include "triage/TriageReport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;
using nlohmann::ordered_json;

static QString str(const ordered_json &j) { return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QStringLiteral("<not a string>"); }

class TestTriageReport : public QObject
{
    Q_OBJECT

    static TriageRun sampleRun()
    {
        TriageRun run;
        run.engine = QStringLiteral("gemini");
        run.model = QStringLiteral("gemini-test");
        run.usage = {3, 1200, 90};
        TriageItemResult keep;
        keep.path = QStringLiteral("/m/a.jpg");
        keep.verdict = VerdictKind::Keep;
        keep.reason = QStringLiteral("a sharp portrait");
        keep.source = VerdictSource::Gemini;
        keep.duplicateGroup = 0;
        keep.bestInGroup = true;
        TriageItemResult copy = keep;
        copy.path = QStringLiteral("/m/a copy.jpg");
        copy.identicalTo = keep.path;
        copy.bestInGroup = false;
        copy.similarTo = keep.path;
        TriageItemResult broken = errorResult(QStringLiteral("/m/b.mov"), VerdictSource::Prefilter,
                                              makeError(Error::Code::Timeout, QStringLiteral("took too long to decode")));
        keep.setGroup(ItemGroup{0, GroupKind::Exact, keep.path, true});
        copy.setGroup(ItemGroup{0, GroupKind::Exact, keep.path, false});
        run.items = {keep, copy, broken};
        return run;
    }

private slots:
    void jsonHasOneSnakeCaseShape()
    {
        std::vector<MediaItem> media{{QStringLiteral("/m/a.jpg"), QStringLiteral("a.jpg"), MediaKind::Photo, {}, 10, {}, {}, {}},
                                           {QStringLiteral("/m/a copy.jpg"), QStringLiteral("a copy.jpg"), MediaKind::Photo, {}, 10, {}, {}, {}},
                                           {QStringLiteral("/m/b.mov"), QStringLiteral("b.mov"), MediaKind::Video, {}, 99, {}, {}, {}}};
        media[0].companions = QStringList{QStringLiteral("/m/a.CR2")};
        const ordered_json doc = TriageReport::fromRun(sampleRun(), &media).toJson();
        QCOMPARE(doc["schema_version"].get<int>(), TriageReport::kSchemaVersion);
        QCOMPARE(str(doc["engine"]), QStringLiteral("gemini"));
        QCOMPARE(doc["usage"]["prompt_tokens"].get<int>(), 1200);
        QCOMPARE(doc["counts"]["keep"].get<int>(), 2);
        QCOMPARE(doc["counts"]["errors"].get<int>(), 1);
        const ordered_json &items = doc["items"];
        QCOMPARE(items.size(), size_t(3));
        QCOMPARE(str(items[0]["path"]), QStringLiteral("/m/a.jpg"));
        QCOMPARE(str(items[0]["kind"]), QStringLiteral("photo"));
        QVERIFY(items[0]["best_in_group"].get<bool>());
        QCOMPARE(str(items[1]["identical_to"]), QStringLiteral("/m/a.jpg"));
        QCOMPARE(str(items[1]["similar_to"]), QStringLiteral("/m/a.jpg"));
        QCOMPARE(items[1]["duplicate_group"].get<int>(), 0);
        QCOMPARE(str(items[2]["verdict"]), QStringLiteral("error"));
        QCOMPARE(str(items[2]["error_code"]), QStringLiteral("timeout"));
        QCOMPARE(items[2]["size_bytes"].get<int>(), 99);
        QVERIFY(items[2]["live_photo_of"].is_null());
        QVERIFY(items[0]["companions"] == ordered_json::array({"/m/a.CR2"}));
        QVERIFY(items[2]["companions"] == ordered_json::array());
        // Every item has every field, so consumers need no presence checks.
        for (const auto &item : items)
            QCOMPARE(item.size(), items[0].size());
        // No camelCase anywhere.
        const std::string text = doc.dump();
        for (const char *old : {"sizeBytes", "decidedBy", "requestId", "generatedAt"})
            QVERIFY2(text.find(old) == std::string::npos, old);
    }

    void personOverridesWin()
    {
        TriageRun run = sampleRun();
        TriageReport base = TriageReport::fromRun(run);
        std::vector<ReportItem> items = base.items();
        items[0].personKeep = false;
        const ordered_json doc = TriageReport(base.header(), items).toJson();
        QCOMPARE(str(doc["items"][0]["verdict"]), QStringLiteral("discard"));
        QCOMPARE(str(doc["items"][0]["engine_verdict"]), QStringLiteral("keep"));
        QCOMPARE(str(doc["items"][0]["source"]), QStringLiteral("person"));
        QVERIFY(doc["items"][0]["overridden"].get<bool>());
        QCOMPARE(doc["counts"]["discard"].get<int>(), 1);
    }

    void s3ItemsCarryKeyEtagAndThumbnail()
    {
        ReportItem item;
        item.result.path = QStringLiteral("/tmp/x/IMG_1.JPG");
        item.result.verdict = VerdictKind::Keep;
        item.key = QStringLiteral("trip/IMG_1.JPG");
        item.etag = QStringLiteral("abc");
        ReportHeader header;
        header.extra = {{"bucket", "b"}, {"partial", false}};
        header.extraCounts = {{"unfinished", 0}};
        const ordered_json doc = TriageReport(header, {item}).toJson();
        QCOMPARE(str(doc["bucket"]), QStringLiteral("b"));
        QCOMPARE(doc["counts"]["unfinished"].get<int>(), 0);
        QCOMPARE(str(doc["items"][0]["key"]), QStringLiteral("trip/IMG_1.JPG"));
        QVERIFY(!doc["items"][0].contains("path"));
        QCOMPARE(str(doc["items"][0]["file"]), QStringLiteral("IMG_1.JPG"));
        QCOMPARE(str(doc["items"][0]["etag"]), QStringLiteral("abc"));
        QVERIFY(doc["items"][0]["thumbnail"].is_null());
    }

    void csvField_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("field");
        QTest::newRow("plain") << "a.jpg" << "a.jpg";
        QTest::newRow("comma") << "a,b.jpg" << "\"a,b.jpg\"";
        QTest::newRow("quote") << "say \"cheese\"" << "\"say \"\"cheese\"\"\"";
        QTest::newRow("newline") << "two\nlines" << "\"two\nlines\"";
        QTest::newRow("formula is not run by a spreadsheet") << "=HYPERLINK(1)" << "'=HYPERLINK(1)";
        QTest::newRow("non-ASCII") << "Straße 日本.heic" << "Straße 日本.heic";
    }
    void csvField()
    {
        QFETCH(QString, value);
        QFETCH(QString, field);
        QCOMPARE(TriageReport::csvField(value), field);
    }

    // `group` carries the kind; the older fields mirror it; the person's XMP rating is listed and,
    // where the engine disagrees, wins (also for what may be trashed).
    void groupAndXmpFields()
    {
        TriageReport report = TriageReport::fromRun(sampleRun());
        XmpReview starred;
        starred.rating = XmpRating{4, QStringLiteral("Red"), std::nullopt, QStringLiteral("/m/a copy.jpg.xmp")};
        starred.conflict = XmpDecisions::conflict(*starred.rating, VerdictKind::Discard);
        report = TriageReport(report.header(), [&] {
            std::vector<ReportItem> items = report.items();
            items[1].result.verdict = VerdictKind::Discard;
            return items;
        }());
        report.applyXmpReviews({XmpReview{}, starred, XmpReview{}});
        const ordered_json doc = report.toJson();
        const ordered_json &items = doc["items"];
        QCOMPARE(str(items[0]["group"]["kind"]), QStringLiteral("exact"));
        QVERIFY(items[0]["group"]["best"].get<bool>());
        QCOMPARE(items[1]["group"]["id"].get<int>(), 0);
        QVERIFY(!items[1]["group"]["best"].get<bool>());
        QCOMPARE(str(items[1]["group"]["keeper"]), QStringLiteral("/m/a.jpg"));
        QVERIFY(items[2]["group"].is_null());
        QVERIFY(items[0]["xmp"].is_null());
        QCOMPARE(items[1]["xmp"]["rating"].get<int>(), 4);
        QCOMPARE(str(items[1]["xmp"]["label"]), QStringLiteral("Red"));
        QCOMPARE(str(items[1]["xmp"]["conflict"]), QStringLiteral("you rated this 4★, the engine says discard"));
        QCOMPARE(str(items[1]["verdict"]), QStringLiteral("keep"));
        QCOMPARE(str(items[1]["engine_verdict"]), QStringLiteral("discard"));
        QCOMPARE(str(items[1]["source"]), QStringLiteral("person"));
        QCOMPARE(report.decidedResults()[1].verdict, VerdictKind::Keep);
        const QList<QByteArray> lines = report.toCsv().trimmed().split('\n');
        QVERIFY(lines[0].endsWith(",group_kind,motion_kind,motion_clip"));
        QVERIFY(lines[2].endsWith(",exact,,"));
        QVERIFY(lines[3].endsWith(",,,"));
    }

    // `motion` as `info --json` writes it, and its kind and clip as the last CSV columns.
    void motionFields_data()
    {
        QTest::addColumn<std::optional<MotionPart>>("motion");
        QTest::addColumn<QString>("csvEnd");
        QTest::newRow("plain photo") << std::optional<MotionPart>() << QStringLiteral(",exact,,");
        QTest::newRow("live photo") << std::optional<MotionPart>(MotionPart{MotionPart::Kind::LivePhoto, QStringLiteral("/m/a,1.mov"), 0, 5000, 2.5, {}})
                                    << QStringLiteral(",exact,live_photo,\"/m/a,1.mov\"");
        QTest::newRow("motion photo") << std::optional<MotionPart>(MotionPart{MotionPart::Kind::MotionPhoto, QStringLiteral("/m/a.jpg"), 700, 9000, std::nullopt, QStringLiteral("cut short")})
                                      << QStringLiteral(",exact,motion_photo,/m/a.jpg");
    }
    void motionFields()
    {
        QFETCH(std::optional<MotionPart>, motion);
        QFETCH(QString, csvEnd);
        TriageRun run = sampleRun();
        run.items[0].motion = motion;
        const TriageReport report = TriageReport::fromRun(run);
        const ordered_json j = report.toJson()["items"][0]["motion"];
        QVERIFY(report.toJson()["items"][1]["motion"].is_null());
        if (!motion) {
            QVERIFY(j.is_null());
        } else {
            QCOMPARE(str(j["kind"]), motion->kind == MotionPart::Kind::LivePhoto ? QStringLiteral("live_photo") : QStringLiteral("motion_photo"));
            QCOMPARE(str(j["clip"]["path"]), motion->clipPath);
            QCOMPARE(j["clip"]["offset"].get<qint64>(), motion->clipOffset);
            QCOMPARE(j["clip"]["length"].get<qint64>(), motion->clipLength);
            QCOMPARE(j["duration_s"].is_null(), !motion->durationSeconds);
            QCOMPARE(j["error"].is_null(), motion->error.isEmpty());
        }
        const QList<QByteArray> lines = report.toCsv().trimmed().split('\n');
        QVERIFY2(lines[1].endsWith(csvEnd.toUtf8()), lines[1].constData());
    }

    void csvHasHeaderAndOneLinePerItem()
    {
        const QByteArray csv = TriageReport::fromRun(sampleRun()).toCsv();
        const QList<QByteArray> lines = csv.trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith("path,file,kind,size_bytes,verdict,reason,source"));
        QVERIFY(lines[2].contains("\"/m/a.jpg\"") || lines[2].contains(",/m/a.jpg"));
        QVERIFY(lines[3].contains(",timeout,"));
    }

    void saveChoosesFormatAndFailsClearly()
    {
        QTemporaryDir dir;
        const TriageReport report = TriageReport::fromRun(sampleRun());
        QVERIFY(report.save(dir.filePath(QStringLiteral("r.CSV"))).ok());
        QFile csv(dir.filePath(QStringLiteral("r.CSV")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readAll().startsWith("path,"));
        QVERIFY(report.save(dir.filePath(QStringLiteral("r.json"))).ok());
        QFile json(dir.filePath(QStringLiteral("r.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(ordered_json::parse(json.readAll().toStdString())["items"].size(), size_t(3));
        const Status missing = report.save(dir.filePath(QStringLiteral("no/such/folder/r.json")));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QLatin1String("r.json")), qPrintable(missing.error().message));
    }
};

QTEST_GUILESS_MAIN(TestTriageReport)
#include "tst_triage_report.moc"
