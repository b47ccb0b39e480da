// What a run may cost: the dated price table and the "assumed" rule for ids not in it, model
// families, the estimate document, and the adaptive number of requests in flight.
#include "gemini/GeminiConfig.h"
#include "gemini/ModelFamily.h"
#include "triage/AdaptiveConcurrency.h"
#include "triage/CostEstimate.h"
#include "triage/ModelPrices.h"

#include <QDate>
#include <QTest>

using namespace mt;
using gemini::ModelFamily;

class TestGeminiPricing : public QObject
{
    Q_OBJECT

private slots:
    void tablePricesExactIds_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("input");
        QTest::addColumn<double>("output");
        QTest::newRow("2.5 flash-lite") << QStringLiteral("gemini-2.5-flash-lite") << 0.10 << 0.40;
        QTest::newRow("2.5 flash") << QStringLiteral("gemini-2.5-flash") << 0.30 << 2.50;
        QTest::newRow("2.5 pro") << QStringLiteral("gemini-2.5-pro") << 1.25 << 10.00;
        QTest::newRow("3.1 flash-lite") << QStringLiteral("gemini-3.1-flash-lite") << 0.25 << 1.50;
        QTest::newRow("resource name") << QStringLiteral("models/gemini-2.5-flash") << 0.30 << 2.50;
    }
    void tablePricesExactIds()
    {
        QFETCH(QString, model);
        QFETCH(double, input);
        QFETCH(double, output);
        const ModelPrice p = ModelPrices::forModel(model);
        QCOMPARE(p.source, PriceSource::Table);
        QCOMPARE(p.inputPerMillion, input);
        QCOMPARE(p.outputPerMillion, output);
        QCOMPARE(p.sourceLabel(), QStringLiteral("table ") + ModelPrices::tableDate());
        QVERIFY(QDate::fromString(ModelPrices::tableDate(), Qt::ISODate).isValid());
    }

    // An id not in the table is never priced below a known model of its tier.
    void unknownIdsAreAssumedAtTheirTiersHighest_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("tier");
        QTest::newRow("default model") << gemini::GeminiConfig().model << int(ModelFamily::Tier::FlashLite);
        QTest::newRow("3.8 flash") << QStringLiteral("gemini-3.8-flash") << int(ModelFamily::Tier::Flash);
        QTest::newRow("versioned 2.5 flash") << QStringLiteral("gemini-2.5-flash-001") << int(ModelFamily::Tier::Flash);
        QTest::newRow("future pro") << QStringLiteral("gemini-4-pro") << int(ModelFamily::Tier::Pro);
        QTest::newRow("no tier in the name") << QStringLiteral("gemini-4-argon") << int(ModelFamily::Tier::Unknown);
    }
    void unknownIdsAreAssumedAtTheirTiersHighest()
    {
        QFETCH(QString, model);
        QFETCH(int, tier);
        const ModelPrice p = ModelPrices::forModel(model);
        QCOMPARE(p.source, PriceSource::Assumed);
        QCOMPARE(p.sourceLabel(), QStringLiteral("assumed"));
        QCOMPARE(int(ModelFamily::of(model).tier), tier);
        int compared = 0;
        for (const ModelPrices::Row &row : ModelPrices::table()) {
            if (tier != int(ModelFamily::Tier::Unknown) && int(ModelFamily::of(QLatin1String(row.model)).tier) != tier)
                continue;
            ++compared;
            QVERIFY2(p.inputPerMillion >= row.inputPerMillion && p.outputPerMillion >= row.outputPerMillion, row.model);
        }
        QVERIFY(compared > 0);
    }

    void familiesFromIds_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("minor");
        QTest::addColumn<int>("tier");
        QTest::newRow("2.5 flash-lite") << QStringLiteral("gemini-2.5-flash-lite") << 2 << 5 << int(ModelFamily::Tier::FlashLite);
        QTest::newRow("3 flash preview") << QStringLiteral("gemini-3-flash-preview") << 3 << 0 << int(ModelFamily::Tier::Flash);
        QTest::newRow("3.1 pro preview") << QStringLiteral("models/gemini-3.1-pro-preview") << 3 << 1 << int(ModelFamily::Tier::Pro);
        QTest::newRow("custom") << QStringLiteral("my-tuned-model") << 0 << 0 << int(ModelFamily::Tier::Unknown);
    }
    void familiesFromIds()
    {
        QFETCH(QString, model);
        QFETCH(int, major);
        QFETCH(int, minor);
        QFETCH(int, tier);
        const ModelFamily f = ModelFamily::of(model);
        QCOMPARE(f.major, major);
        QCOMPARE(f.minor, minor);
        QCOMPARE(int(f.tier), tier);
    }

    void estimateDocumentCarriesPriceAndSource()
    {
        const ModelPrice price = ModelPrice::user(1.5, 7.0);
        CostEstimate e = estimateCost({{MediaKind::Photo, 0}, {MediaKind::Video, 10}}, 20, TokenRates{}, price);
        e.model = QStringLiteral("gemini-x");
        const auto j = e.toJson();
        QCOMPARE(QString::fromStdString(j["model"].get<std::string>()), QStringLiteral("gemini-x"));
        QCOMPARE(j["input_tokens"].get<qint64>(), e.inputTokens);
        QCOMPARE(j["output_tokens"].get<qint64>(), e.outputTokens);
        QCOMPARE(j["usd"].get<double>(), costOf(e.inputTokens, e.outputTokens, price));
        QCOMPARE(j["input_per_million"].get<double>(), 1.5);
        QCOMPARE(j["output_per_million"].get<double>(), 7.0);
        QCOMPARE(j["price_source"].get<std::string>(), std::string("user"));
        QCOMPARE(j.size(), size_t(7));
    }

    void concurrencyHalvesOnQuotaAndRecoversSlowly()
    {
        AdaptiveConcurrency c(4);
        QCOMPARE(c.limit(), 4);
        c.throttled();
        QCOMPARE(c.limit(), 2);
        c.throttled();
        c.throttled();
        QCOMPARE(c.limit(), 1); // never below one
        for (int i = 0; i < AdaptiveConcurrency::kRaiseAfter - 1; ++i) {
            c.acquire();
            c.release();
        }
        QCOMPARE(c.limit(), 1); // not yet
        c.acquire();
        c.release();
        QCOMPARE(c.limit(), 2);
        for (int i = 0; i < 10 * AdaptiveConcurrency::kRaiseAfter; ++i) {
            c.acquire();
            c.release();
        }
        QCOMPARE(c.limit(), 4); // never above the configured maximum
    }
};

QTEST_GUILESS_MAIN(TestGeminiPricing)
#include "tst_gemini_pricing.moc"
