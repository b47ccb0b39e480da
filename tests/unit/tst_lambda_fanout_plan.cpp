// The pure half of the Lambda fan-out: shards, chains, the events and files invocations leave
// each other, and grouping signals that survive the trip through JSON.
#include "lambda/FanoutPlan.h"
#include "lambda/GroupingSignals.h"

#include <QTest>

using namespace mt;
using mt::lambda::FanoutLimits;
using mt::lambda::FanoutPlan;
using mt::lambda::JobEntry;
using nlohmann::json;

namespace {

// Each key's ETag is its own, unless the key ends in "=N": then it is a copy of the N-th key.
std::vector<JobEntry> entries(const QStringList &keys, qint64 size = 100)
{
    std::vector<aws::S3ObjectInfo> listing;
    for (const QString &key : keys) {
        const qsizetype copy = key.lastIndexOf(u'=');
        const QString source = copy < 0 ? key : keys.at(key.mid(copy + 1).toInt());
        listing.push_back(aws::S3ObjectInfo{key.left(copy < 0 ? key.size() : copy), size, "\"" + source.toUtf8().toHex() + "\"", {}});
    }
    return lambda::TriageJobStages::entriesFromListing(listing, QStringLiteral("p/"), {});
}

QString shardsText(const std::vector<std::vector<size_t>> &shards)
{
    QStringList out;
    for (const auto &s : shards) {
        QStringList one;
        for (size_t i : s)
            one << QString::number(i);
        out << one.join(u',');
    }
    return out.join(u'|');
}

} // namespace

class TestLambdaFanoutPlan : public QObject {
    Q_OBJECT
private slots:
    void shards_data()
    {
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<int>("items");
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("concurrency");
        const QStringList five{"p/a.jpg", "p/b.jpg", "p/c.jpg", "p/d.jpg", "p/e.jpg"};
        QTest::newRow("by items") << five << 2 << qint64(1 << 30) << "0,1|2,3|4" << 8;
        QTest::newRow("by bytes") << five << 100 << qint64(250) << "0,1|2,3|4" << 8;
        QTest::newRow("one shard") << five << 5 << qint64(1 << 30) << "0,1,2,3,4" << 8;
        QTest::newRow("a Live Photo stays together") << QStringList{"p/a.jpg", "p/b.heic", "p/b.mov", "p/c.jpg"} << 2
                                                     << qint64(1 << 30) << "0,1,2|3" << 8;
        QTest::newRow("refused keys are in no shard") << QStringList{"p/a.jpg", "p/../x.jpg", "p/c.jpg"} << 1 << qint64(1 << 30)
                                                      << "0|2" << 8;
        QStringList ten;
        for (int i = 0; i < 10; ++i)
            ten << QStringLiteral("p/%1.jpg").arg(i);
        // Three shards of at most 4 at two at a time would leave one chain idle in the second wave.
        QTest::newRow("whole waves of even shards") << ten << 4 << qint64(1 << 30) << "0,1,2|3,4,5|6,7|8,9" << 2;
        QStringList hundred;
        for (int i = 0; i < 100; ++i)
            hundred << QStringLiteral("p/%1.jpg").arg(i);
        QTest::newRow("a small job spreads over every chain") << hundred << 60 << qint64(1 << 30)
                                                              << "0-24|25-49|50-74|75-99" << 4;
        QTest::newRow("but not below a request's worth per shard") << hundred.mid(0, 50) << 60 << qint64(1 << 30)
                                                                   << "0-24|25-49" << 4;
        // Copies of one file in two shards would both be paid for: the later one joins the first.
        QTest::newRow("a copy rides with its first copy") << QStringList{"p/a.jpg", "p/b.jpg", "p/c.jpg", "p/d.jpg", "p/e.jpg=0"}
                                                         << 4 << qint64(1 << 30) << "0,1,2,4|3" << 8;
        QTest::newRow("unless its shard is full") << QStringList{"p/a.jpg", "p/b.jpg", "p/c.jpg", "p/d.jpg", "p/e.jpg=0"} << 2
                                                  << qint64(1 << 30) << "0,1|2,3|4" << 8;
        QTest::newRow("or over its byte bound") << QStringList{"p/a.jpg", "p/b.jpg", "p/c.jpg", "p/d.jpg", "p/e.jpg=0"} << 3
                                                << qint64(200) << "0,1|2,3|4" << 8;
        QTest::newRow("shards as even as the item bound allows") << ten << 4 << qint64(1 << 30) << "0,1,2,3|4,5,6|7,8,9" << 3;
    }
    void shards()
    {
        QFETCH(QStringList, keys);
        QFETCH(int, items);
        QFETCH(qint64, bytes);
        QFETCH(QString, expected);
        QFETCH(int, concurrency);
        // "a-b" in a row stands for every index from a to b.
        QStringList expanded;
        for (const QString &shard : expected.split(u'|')) {
            QStringList one;
            for (const QString &part : shard.split(u',')) {
                const QStringList range = part.split(u'-');
                for (int i = range.first().toInt(); range.size() == 2 && i <= range.last().toInt(); ++i)
                    one << QString::number(i);
                if (range.size() == 1)
                    one << part;
            }
            expanded << one.join(u',');
        }
        expected = expanded.join(u'|');
        FanoutLimits limits;
        limits.concurrency = concurrency;
        limits.shardItems = items;
        limits.shardBytes = bytes;
        QCOMPARE(shardsText(FanoutPlan::shards(entries(keys), limits)), expected);
    }

    void chains()
    {
        const auto c = FanoutPlan::chains({0, 1, 2, 3, 4, 5, 6}, 3);
        QCOMPARE(c.size(), size_t(3));
        QCOMPARE(c[0], (std::vector<int>{0, 3, 6}));
        QCOMPARE(c[1], (std::vector<int>{1, 4}));
        QCOMPARE(c[2], (std::vector<int>{2, 5}));
        QCOMPARE(FanoutPlan::chains({4}, 8).size(), size_t(1));
        QVERIFY(FanoutPlan::chains({}, 8).empty());
    }

    void shardEventRoundTrip()
    {
        lambda::ShardEvent e{"media", "trip/", {}, "job-1", 3, {5, 7}, 2};
        const json doc = FanoutPlan::toJson(e);
        QVERIFY(FanoutPlan::isShardEvent(doc));
        auto back = FanoutPlan::parseShardEvent(doc);
        QVERIFY(back.ok());
        QCOMPARE(back->shard, 3);
        QCOMPARE(back->then, (std::vector<int>{5, 7}));
        QCOMPARE(back->continuation, 2);
        QCOMPARE(back->job, QStringLiteral("job-1"));
        QVERIFY(!FanoutPlan::parseShardEvent(json{{"action", "triage-shard"}, {"bucket", "b"}}).ok());
    }

    void failureRecords()
    {
        const json event = FanoutPlan::toJson(lambda::ShardEvent{"media", "trip/", {}, "job-1", 4, {}, 0});
        const json record = {{"requestContext", {{"condition", "RetriesExhausted"}}},
                             {"requestPayload", event},
                             {"responsePayload", {{"errorMessage", "segfault in a decoder"}}}};
        auto direct = FanoutPlan::parseFailureRecord(record);
        QVERIFY(direct);
        QCOMPARE(direct->first.shard, 4);
        QCOMPARE(direct->second, QStringLiteral("segfault in a decoder"));
        const json sqs = {{"Records", {{{"eventSource", "aws:sqs"}, {"body", record.dump()}}}}};
        QVERIFY(FanoutPlan::isFailureRecord(sqs));
        // Anything else is not a failure record: another payload, no condition, S3 records.
        QVERIFY(!FanoutPlan::isFailureRecord(json{{"requestContext", {{"condition", "x"}}}, {"requestPayload", {{"action", "triage"}}}}));
        QVERIFY(!FanoutPlan::isFailureRecord(json{{"requestPayload", event}}));
        QVERIFY(!FanoutPlan::isFailureRecord(json{{"Records", {{{"eventSource", "aws:s3"}}}}}));
    }

    void entriesRoundTrip()
    {
        auto list = entries({"p/a.jpg", "p/b.jpg"});
        // A planned entry: the object only.
        const json planned = FanoutPlan::entryJson(list[0]);
        QVERIFY(!planned.contains("verdict"));
        auto back = FanoutPlan::entryFromJson(planned, QStringLiteral("p/"));
        QVERIFY(back && back->toJudge);
        // A judged one with its grouping signals.
        JobEntry &e = list[1];
        e.toJudge = false;
        e.result.verdict = VerdictKind::Discard;
        e.result.reason = QStringLiteral("too dark");
        e.result.source = VerdictSource::Gemini;
        e.result.contentHash = QStringLiteral("abc");
        e.thumbnailKey = QStringLiteral("p/_triage/thumbs/b.jpg.jpg");
        lambda::GroupingSignals s;
        s.image = quality::ImageSignals{};
        s.image->perceptualHash = 0xF00DF00DDEADBEEFull;
        s.image->regionalSharpness = 1.0 / 3.0;
        s.image->colourHistogram[5] = 0.1f / 3.0f;
        s.image->fingerprint[7] = 200;
        s.capturedAt = QDateTime::fromString(QStringLiteral("2026-07-01T10:00:00.250Z"), Qt::ISODateWithMs);
        s.originalPixels = 12'000'000;
        s.subsecondTime = true;
        s.isRaw = true;
        s.camera = QStringLiteral("Apple iPhone 15 Pro");
        s.burstId = QStringLiteral("8F0E2C4A-0D55-4C1B-9A8E-1B2C3D4E5F60");
        s.metadataFields = 57;
        e.grouping = s;
        e.result.motion = MotionPart{MotionPart::Kind::LivePhoto, QStringLiteral("p/IMG_1.MOV"), 0, 2'000'000, 2.5, {}};
        auto judged = FanoutPlan::entryFromJson(json::parse(FanoutPlan::entryJson(e).dump()), QStringLiteral("p/"));
        QVERIFY(judged && !judged->toJudge);
        QCOMPARE(judged->result.verdict, VerdictKind::Discard);
        QCOMPARE(judged->result.reason, QStringLiteral("too dark"));
        QCOMPARE(judged->result.source, VerdictSource::Gemini);
        QCOMPARE(judged->thumbnailKey, e.thumbnailKey);
        QVERIFY(judged->grouping && judged->grouping->image);
        QCOMPARE(judged->grouping->image->perceptualHash, s.image->perceptualHash);
        QCOMPARE(judged->grouping->image->regionalSharpness, s.image->regionalSharpness);
        QCOMPARE(judged->grouping->image->colourHistogram[5], s.image->colourHistogram[5]);
        QCOMPARE(judged->grouping->image->fingerprint, s.image->fingerprint);
        QCOMPARE(*judged->grouping->capturedAt, *s.capturedAt);
        QCOMPARE(judged->grouping->originalPixels, s.originalPixels);
        // What tells a burst (camera, BurstUUID, sub-second times) and an original (metadata, RAW).
        QVERIFY(judged->grouping->subsecondTime && judged->grouping->isRaw && !judged->grouping->isHeif);
        QCOMPARE(judged->grouping->camera, s.camera);
        QCOMPARE(judged->grouping->burstId, s.burstId);
        QCOMPARE(judged->grouping->metadataFields, s.metadataFields);
        // A Live Photo's clip survives the shard file, so the merged results name it.
        QVERIFY(judged->result.motion);
        QCOMPARE(judged->result.motion->kind, MotionPart::Kind::LivePhoto);
        QCOMPARE(judged->result.motion->clipPath, QStringLiteral("p/IMG_1.MOV"));
        QCOMPARE(judged->result.motion->clipLength, qint64(2'000'000));
        QCOMPARE(judged->result.motion->durationSeconds.value_or(0), 2.5);
        // A key of another prefix is refused, as in a listing.
        QVERIFY(!FanoutPlan::entryFromJson(json{{"key", "q/x.jpg"}}, QStringLiteral("p/")) ||
                FanoutPlan::entryFromJson(json{{"key", "q/x.jpg"}}, QStringLiteral("p/"))->result.verdict == VerdictKind::Error);
    }

    // A burst Apple marked with one BurstUUID is one group across shards even when its frames look
    // different (a moving subject): the merge groups with what the shards measured.
    void burstIdGroupsAcrossShards()
    {
        std::vector<JobEntry> list = entries({QStringLiteral("p/IMG_1.HEIC"), QStringLiteral("p/IMG_2.HEIC"), QStringLiteral("p/IMG_3.HEIC")});
        const QDateTime at = QDateTime::fromString(QStringLiteral("2026-07-01T10:00:00.100Z"), Qt::ISODateWithMs);
        for (size_t i = 0; i < list.size(); ++i) {
            lambda::GroupingSignals s;
            s.image = quality::ImageSignals{};
            s.image->perceptualHash = 0x0123456789ABCDEFull * (i + 1) ^ (0xFFFFull << (i * 16));
            s.image->fingerprint[i] = 255;
            s.image->detailHash[0] = i + 1;
            s.capturedAt = at.addMSecs(qint64(i) * 300);
            s.subsecondTime = true;
            s.camera = QStringLiteral("Apple iPhone 15 Pro");
            s.burstId = i == 1 ? QString() : QStringLiteral("8F0E2C4A-0D55-4C1B-9A8E-1B2C3D4E5F60");
            // Back from a shard file, as the merge reads it.
            list[i].result.verdict = VerdictKind::Keep;
            list[i].grouping = lambda::GroupingSignalsCodec::fromJson(json::parse(lambda::GroupingSignalsCodec::toJson(s).dump()));
            QVERIFY(list[i].grouping);
        }
        lambda::GroupingSignalsCodec::applyGroups(list);
        QVERIFY(list[0].result.group && list[2].result.group);
        QCOMPARE(list[0].result.group->kind, GroupKind::Burst);
        QCOMPARE(list[2].result.group->id, list[0].result.group->id);
        QVERIFY2(!list[1].result.group, "a frame without the burst's id that looks different stays apart");
    }

    void shardKeys()
    {
        QCOMPARE(FanoutPlan::shardKey(QStringLiteral("p/"), 12), QStringLiteral("p/_triage/shards/12.json"));
        QCOMPARE(FanoutPlan::shardOfKey(QStringLiteral("p/"), QStringLiteral("p/_triage/shards/12.json")), 12);
        QCOMPARE(FanoutPlan::shardOfKey(QStringLiteral("p/"), QStringLiteral("p/_triage/shards/x.json")), -1);
        QCOMPARE(FanoutPlan::shardOfKey(QStringLiteral("p/"), QStringLiteral("p/_triage/progress/1.json")), -1);
    }
};

QTEST_GUILESS_MAIN(TestLambdaFanoutPlan)
#include "tst_lambda_fanout_plan.moc"
