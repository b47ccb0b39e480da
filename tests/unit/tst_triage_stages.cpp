// The pure stages of a triage run: Live Photo pairing, pre-filters, exact duplicates, batching.
#include "media/LivePhotoPairing.h"
#include "triage/BatchAssembler.h"
#include "triage/Prefilter.h"

#include <QTest>
#include <QTimeZone>

using namespace mt;

Q_DECLARE_METATYPE(std::vector<PairingCandidate>)
Q_DECLARE_METATYPE(std::vector<int>)
Q_DECLARE_METATYPE(std::optional<double>)

class TestTriageStages : public QObject
{
    Q_OBJECT

    static PairingCandidate photo(const QString &path, const QString &id = {}, std::optional<QDateTime> at = {})
    {
        return {path, MediaKind::Photo, std::nullopt, true, id, at};
    }
    static PairingCandidate withId(PairingCandidate c, const QString &id, std::optional<QDateTime> at = {})
    {
        c.contentIdentifier = id;
        c.capturedAt = at;
        return c;
    }
    static PairingCandidate clip(const QString &path, std::optional<double> seconds, bool usable = true)
    {
        return {path, MediaKind::Video, seconds, usable, {}, std::nullopt};
    }

private slots:
    void livePhotoPairing_data()
    {
        QTest::addColumn<std::vector<PairingCandidate>>("items");
        QTest::addColumn<std::vector<int>>("stillOf");
        QTest::addColumn<std::vector<int>>("noted"); // candidates with a note
        QTest::newRow("clip follows its still") << std::vector{photo("/a/IMG_1.HEIC"), clip("/a/IMG_1.MOV", 2.5)}
                                                << std::vector{-1, 0} << std::vector<int>{};
        // The offline grouping and the Gemini engine used to fold case differently.
        QTest::newRow("case folded both ways") << std::vector{clip("/a/img_1.mov", 1.0), photo("/a/IMG_1.JPG")}
                                               << std::vector{1, -1} << std::vector<int>{};
        QTest::newRow("other folder is not the pair") << std::vector{photo("/a/IMG_1.JPG"), clip("/b/IMG_1.MOV", 1.0)}
                                                      << std::vector{-1, -1} << std::vector<int>{};
        QTest::newRow("a long video is a video of its own") << std::vector{photo("/a/IMG_1.JPG"), clip("/a/IMG_1.MOV", 30.0)}
                                                            << std::vector{-1, -1} << std::vector<int>{};
        QTest::newRow("exactly at the limit pairs") << std::vector{photo("/a/X.JPG"), clip("/a/X.MOV", 4.0)}
                                                    << std::vector{-1, 0} << std::vector<int>{};
        QTest::newRow("unknown duration pairs") << std::vector{photo("/a/X.JPG"), clip("/a/X.MOV", std::nullopt)}
                                                << std::vector{-1, 0} << std::vector<int>{};
        QTest::newRow("unreadable clip pairs with nothing") << std::vector{photo("/a/X.JPG"), clip("/a/X.MOV", 1.0, false)}
                                                            << std::vector{-1, -1} << std::vector<int>{};
        QTest::newRow("two stills: the first wins")
            << std::vector{photo("/a/X.JPG"), photo("/a/X.HEIC"), clip("/a/X.MOV", 2.0)} << std::vector{-1, -1, 0} << std::vector<int>{};
        QTest::newRow("no still") << std::vector{clip("/a/X.MOV", 1.0)} << std::vector{-1} << std::vector<int>{};
            const QString uuid = QStringLiteral("C2B9B0A4-5F0B-4B3E-9B1D-7B8E0F6A1C11");
        const QString other = QStringLiteral("7D1E3F2A-0000-4C3B-8E9F-112233445566");
        const QDateTime noon(QDate(2024, 5, 1), QTime(12, 0, 0), Qt::UTC);
        QTest::newRow("identifier pairs whatever the names")
            << std::vector{photo("/a/IMG_1.HEIC", uuid), clip("/a/IMG_1.MOV", 2.0), withId(clip("/a/renamed.mov", 2.5), uuid)}
            << std::vector{-1, -1, 0} << std::vector<int>{};
        QTest::newRow("identifier pairs a long clip too")
            << std::vector{photo("/a/A.JPG", uuid), withId(clip("/b/B.MOV", 9.0), uuid)} << std::vector{-1, 0} << std::vector<int>{};
        QTest::newRow("different identifiers never pair by name")
            << std::vector{photo("/a/IMG_1.HEIC", uuid), withId(clip("/a/IMG_1.MOV", 2.0), other)}
            << std::vector{-1, -1} << std::vector<int>{};
        QTest::newRow("identifier in two stills: its own name decides")
            << std::vector{photo("/a/IMG_1.HEIC", uuid), photo("/a/IMG_1 (1).JPG", uuid), withId(clip("/a/IMG_1 (1).MOV", 2.0), uuid)}
            << std::vector{-1, -1, 1} << std::vector<int>{};
        QTest::newRow("identifier in two stills, neither by name: a note, no pair")
            << std::vector{photo("/a/A.HEIC", uuid), photo("/a/B.JPG", uuid), withId(clip("/a/C.MOV", 2.0), uuid)}
            << std::vector{-1, -1, -1} << std::vector<int>{2};
        QTest::newRow("name pair taken minutes apart is not a Live Photo")
            << std::vector{photo("/a/X.JPG", {}, noon), withId(clip("/a/X.MOV", 2.0), {}, noon.addSecs(300))}
            << std::vector{-1, -1} << std::vector<int>{};
        QTest::newRow("name pair at the same moment")
            << std::vector{photo("/a/X.JPG", {}, noon), withId(clip("/a/X.MOV", 2.0), {}, noon.addSecs(1))}
            << std::vector{-1, 0} << std::vector<int>{};
    }

    void livePhotoPairing()
    {
        QFETCH(std::vector<PairingCandidate>, items);
        QFETCH(std::vector<int>, stillOf);
        QFETCH(std::vector<int>, noted);
        const LivePhotoPairs pairs = LivePhotoPairing::pair(items, 4.0);
        QCOMPARE(pairs.stillOf, stillOf);
        for (size_t i = 0; i < items.size(); ++i) {
            const bool expected = std::find(noted.begin(), noted.end(), int(i)) != noted.end();
            QVERIFY2(pairs.notes[i].isEmpty() != expected, qPrintable(pairs.notes[i]));
        }
        if (!noted.empty()) // the note names the stills it could not choose between
            QVERIFY(pairs.notes[size_t(noted.front())].contains(QStringLiteral("A.HEIC, B.JPG")));
    }

    void accidentalClip_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<std::optional<double>>("seconds");
        QTest::addColumn<bool>("accidental");
        QTest::newRow("1.2 s clip") << int(MediaKind::Video) << std::optional<double>(1.2) << true;
        QTest::newRow("2 s clip is kept") << int(MediaKind::Video) << std::optional<double>(2.0) << false;
        QTest::newRow("unknown duration is not guessed") << int(MediaKind::Video) << std::optional<double>() << false;
        QTest::newRow("photos have no duration") << int(MediaKind::Photo) << std::optional<double>(0.0) << false;
    }
    void accidentalClip()
    {
        QFETCH(int, kind);
        QFETCH(std::optional<double>, seconds);
        QFETCH(bool, accidental);
        const auto reason = Prefilter::accidentalClip(MediaKind(kind), seconds, 2.0);
        QCOMPARE(reason.has_value(), accidental);
        if (reason)
            QVERIFY2(reason->contains(QStringLiteral("%1").arg(*seconds, 0, 'f', 1)), qPrintable(*reason));
    }

    void exactDuplicates_data()
    {
        QTest::addColumn<QStringList>("hashes");
        QTest::addColumn<QList<bool>>("eligible");
        QTest::addColumn<std::vector<int>>("leaders");
        QTest::newRow("copies follow the first") << QStringList{"a", "b", "a", "a"} << QList<bool>{true, true, true, true}
                                                 << std::vector{-1, -1, 0, 0};
        QTest::newRow("empty hashes never match") << QStringList{"", ""} << QList<bool>{true, true} << std::vector{-1, -1};
        QTest::newRow("an ineligible first does not lead") << QStringList{"a", "a", "a"} << QList<bool>{false, true, true}
                                                           << std::vector{-1, -1, 1};
    }
    void exactDuplicates()
    {
        QFETCH(QStringList, hashes);
        QFETCH(QList<bool>, eligible);
        QFETCH(std::vector<int>, leaders);
        QCOMPARE(Prefilter::exactDuplicateLeaders(std::vector<QString>(hashes.begin(), hashes.end()),
                                                  std::vector<bool>(eligible.begin(), eligible.end())),
                 leaders);
    }

    void rootOfFollowsChainsAndSurvivesCycles()
    {
        QCOMPARE(Prefilter::rootOf({-1, 0, 1}, 2), 0);
        QCOMPARE(Prefilter::rootOf({-1, 0, 1}, 0), 0);
        const int root = Prefilter::rootOf({1, 0}, 0); // malformed: must return, not hang
        QVERIFY(root == 0 || root == 1);
    }

    void batches_data()
    {
        QTest::addColumn<int>("maxItems");
        QTest::addColumn<qint64>("maxBytes");
        QTest::addColumn<QList<qint64>>("sizes");
        QTest::addColumn<QString>("kinds"); // 'v' marks a video; photos otherwise
        QTest::addColumn<QList<QList<int>>>("expected");
        QTest::newRow("by count") << 2 << qint64(1000) << QList<qint64>{1, 1, 1, 1, 1} << QString()
                                  << QList<QList<int>>{{0, 1}, {2, 3}, {4}};
        QTest::newRow("by bytes") << 10 << qint64(100) << QList<qint64>{60, 30, 20, 90} << QString()
                                  << QList<QList<int>>{{0, 1}, {2}, {3}};
        QTest::newRow("an oversized item travels alone") << 10 << qint64(100) << QList<qint64>{10, 500, 10} << QString()
                                                         << QList<QList<int>>{{0}, {1}, {2}};
        QTest::newRow("nothing") << 5 << qint64(100) << QList<qint64>{} << QString() << QList<QList<int>>{};
        QTest::newRow("at most 10 videos") << 20 << qint64(1000) << QList<qint64>(14, 0) << QStringLiteral("vvvvvvvvvvvvpp")
                                           << QList<QList<int>>{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {10, 11, 12, 13}};
        QTest::newRow("photos fill up past 10 videos") << 20 << qint64(1000) << QList<qint64>(13, 0) << QStringLiteral("ppvvvvvvvvvvp")
                                                       << QList<QList<int>>{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
    }
    void batches()
    {
        QFETCH(int, maxItems);
        QFETCH(qint64, maxBytes);
        QFETCH(QList<qint64>, sizes);
        QFETCH(QString, kinds);
        QFETCH(QList<QList<int>>, expected);
        BatchAssembler assembler(maxItems, maxBytes);
        QList<QList<int>> got;
        for (int i = 0; i < sizes.size(); ++i)
            if (auto closed = assembler.add(i, sizes[i], (i < kinds.size() && kinds[i] == u'v')))
                got << QList<int>(closed->begin(), closed->end());
        if (auto last = assembler.finish())
            got << QList<int>(last->begin(), last->end());
        QCOMPARE(got, expected);
        QVERIFY(!assembler.finish());
    }
};

QTEST_GUILESS_MAIN(TestTriageStages)
#include "tst_triage_stages.moc"
