// Near-duplicate groups: bursts group, unrelated pictures do not, and the keeper follows the rule.
#include "QualityScenes.h"

#include "quality/NearDuplicateGrouper.h"
#include "quality/SignalExtractor.h"

#include <QTest>

using namespace mt;
using namespace mt::quality;

namespace {

// A burst frame: the same scene, reframed by a few pixels, with fresh noise and a small exposure
// drift, as a phone's burst mode delivers it.
QImage burstFrame(const QImage &scene, int shift, quint32 seed, double ev = 0.0)
{
    const QImage cropped = scene.copy(shift, shift / 2, scene.width() - 24, scene.height() - 18);
    return test::withNoise(ev != 0.0 ? test::exposure(cropped, ev) : cropped, 2.0, seed);
}

struct Fixture {
    std::vector<ImageSignals> imageSignals;
    std::vector<DuplicateCandidate> candidates;
    void add(const QString &name, const QImage &image, QDateTime at = {}, qint64 pixels = 0, bool heif = false)
    {
        imageSignals.push_back(SignalExtractor::measure(image));
        candidates.push_back({name, nullptr, at.isValid() ? std::optional<QDateTime>(at) : std::nullopt, pixels, heif});
    }
    std::vector<DuplicateMembership> group(NearDuplicateGrouper::Options options = {})
    {
        for (size_t i = 0; i < candidates.size(); ++i)
            candidates[i].imageSignals = &imageSignals[i];
        return NearDuplicateGrouper(options).group(candidates);
    }
};

const QDateTime kStart(QDate(2024, 5, 1), QTime(12, 0, 0));

} // namespace

class QualityGroupsTest : public QObject {
    Q_OBJECT

private slots:
    void burstGroupsAndSharpestIsBest()
    {
        const QImage scene = test::texturedScene(960, 720, 40);
        Fixture f;
        f.add(QStringLiteral("b0"), burstFrame(scene, 4, 1), kStart);
        f.add(QStringLiteral("b1-soft"), test::defocus(burstFrame(scene, 8, 2), 0.004), kStart.addSecs(1));
        f.add(QStringLiteral("b2"), burstFrame(scene, 12, 3, 0.3), kStart.addSecs(1));
        f.add(QStringLiteral("other"), test::texturedScene(960, 720, 41), kStart.addSecs(2));
        const auto m = f.group();
        QVERIFY(m[0].group >= 0);
        QCOMPARE(m[1].group, m[0].group);
        QCOMPARE(m[2].group, m[0].group);
        QCOMPARE(m[3].group, -1);
        QVERIFY2(!m[1].best, "the softer frame is not the suggested keeper");
        QCOMPARE(int(std::count_if(m.begin(), m.begin() + 3, [](const DuplicateMembership &x) { return x.best; })), 1);
        QCOMPARE(m[1].bestIndex, m[0].best ? 0 : 2);
    }

    void unrelatedScenesNeverGroup()
    {
        Fixture f;
        for (quint32 seed = 50; seed < 70; ++seed)
            f.add(QStringLiteral("s%1").arg(seed), test::texturedScene(640, 480, seed), kStart.addSecs(seed));
        // Same colours, different layout: the hash may come close, the layout measure must not.
        f.add(QStringLiteral("flipped"), test::texturedScene(640, 480, 50).mirrored(true, false), kStart);
        for (const DuplicateMembership &m : f.group())
            QCOMPARE(m.group, -1);
    }

    void captureTimeSeparatesRepeatsFarApart()
    {
        const QImage scene = test::texturedScene(960, 720, 42);
        Fixture f;
        f.add(QStringLiteral("morning"), burstFrame(scene, 4, 1), kStart);
        f.add(QStringLiteral("evening"), burstFrame(scene, 6, 2), kStart.addSecs(8 * 3600));
        for (const DuplicateMembership &m : f.group())
            QCOMPARE(m.group, -1);
    }

    void keeperRules()
    {
        const QImage scene = test::texturedScene(960, 720, 43);
        Fixture f;
        f.add(QStringLiteral("IMG_1.HEIC"), test::defocus(burstFrame(scene, 4, 1), 0.002), kStart, 4032 * 3024, true);
        f.add(QStringLiteral("IMG_1.jpg"), burstFrame(scene, 4, 2), kStart, 4032 * 3024, false);
        f.add(QStringLiteral("IMG_1 small.jpg"), burstFrame(scene, 5, 3, -0.8), kStart, 1024 * 768, false);
        f.add(QStringLiteral("IMG_1 big.jpg"), test::defocus(burstFrame(scene, 5, 4), 0.003), kStart, 8000 * 6000, false);
        auto bestName = [&](KeeperRule rule) {
            NearDuplicateGrouper::Options options;
            options.rule = rule;
            const auto m = f.group(options);
            for (size_t i = 0; i < m.size(); ++i)
                if (m[i].best)
                    return f.candidates[i].path;
            return QString();
        };
        QCOMPARE(bestName(KeeperRule::Sharpest), QStringLiteral("IMG_1.jpg"));
        QCOMPARE(bestName(KeeperRule::PreferOriginal), QStringLiteral("IMG_1.HEIC"));
        QCOMPARE(bestName(KeeperRule::Largest), QStringLiteral("IMG_1 big.jpg"));
        QVERIFY(bestName(KeeperRule::BestExposed) != QStringLiteral("IMG_1 small.jpg"));
        QCOMPARE(keeperRuleFromName(QStringLiteral("original")), std::optional(KeeperRule::PreferOriginal));
        QVERIFY(!keeperRuleFromName(QStringLiteral("nonsense")));
    }
};

QTEST_GUILESS_MAIN(QualityGroupsTest)
#include "tst_quality_groups.moc"
