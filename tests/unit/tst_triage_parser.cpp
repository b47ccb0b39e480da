// Reading the model's answer: lenient about wrapping, strict about which item a verdict is for.
#include "triage/CostEstimate.h"
#include "triage/ResponseParser.h"

#include <QTest>

using namespace mt;

class TestTriageParser : public QObject
{
    Q_OBJECT

    static QList<ExpectedItem> three()
    {
        return {{1, QStringLiteral("IMG_1.jpg")}, {2, QStringLiteral("IMG_2.jpg")}, {3, QStringLiteral("clip.mov")}};
    }

private slots:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("verdicts"); // per item: k keep, d discard, - missing
        const QString plain = QStringLiteral(R"([{"media":1,"filename":"IMG_1.jpg","saveable":true,"reason":"sharp"},
            {"media":2,"filename":"IMG_2.jpg","saveable":false,"reason":"pocket"},
            {"media":3,"filename":"clip.mov","saveable":true,"reason":"fun"}])");
        QTest::newRow("plain array") << plain << "kdk";
        QTest::newRow("code fence") << (QStringLiteral("```json\n") + plain + QStringLiteral("\n```")) << "kdk";
        QTest::newRow("prose around") << (QStringLiteral("Sure! Here you go:\n") + plain + QStringLiteral("\nCheers.")) << "kdk";
        QTest::newRow("wrapped in object") << (QStringLiteral("{\"items\": ") + plain + u'}') << "kdk";
        QTest::newRow("out of order") << QStringLiteral(R"([{"media":3,"filename":"clip.mov","saveable":false,"reason":"x"},
            {"media":1,"filename":"IMG_1.jpg","saveable":true,"reason":"x"},
            {"media":2,"filename":"IMG_2.jpg","saveable":true,"reason":"x"}])") << "kkd";
        QTest::newRow("number as string, verdict word") << QStringLiteral(R"([{"media":"1","filename":"img_1.JPG","verdict":"discard","reason":"x"}])") << "d--";
        QTest::newRow("missing item") << QStringLiteral(R"([{"media":1,"filename":"IMG_1.jpg","saveable":true,"reason":"x"},
            {"media":3,"filename":"clip.mov","saveable":true,"reason":"x"}])") << "k-k";
        QTest::newRow("wrong file name is not guessed") << QStringLiteral(R"([{"media":1,"filename":"IMG_2.jpg","saveable":true,"reason":"x"},
            {"media":2,"filename":"IMG_2.jpg","saveable":false,"reason":"x"}])") << "-d-";
        QTest::newRow("duplicate makes it missing") << QStringLiteral(R"([{"media":1,"filename":"IMG_1.jpg","saveable":true,"reason":"x"},
            {"media":1,"filename":"IMG_1.jpg","saveable":false,"reason":"x"}])") << "---";
        QTest::newRow("number out of range") << QStringLiteral(R"([{"media":4,"filename":"IMG_1.jpg","saveable":true,"reason":"x"}])") << "---";
        QTest::newRow("no saveable") << QStringLiteral(R"([{"media":1,"filename":"IMG_1.jpg","reason":"x"}])") << "---";
        QTest::newRow("truncated keeps complete objects") << plain.left(plain.size() / 2) << "k--";
        QTest::newRow("not JSON") << QStringLiteral("I cannot help with that.") << "---";
    }
    void parses()
    {
        QFETCH(QString, text);
        QFETCH(QString, verdicts);
        const ParsedAnswer answer = parseVerdicts(text, three());
        for (int i = 0; i < 3; ++i) {
            const QChar expected = verdicts[i];
            const auto it = answer.verdicts.find(i + 1);
            if (expected == u'-') {
                QVERIFY2(it == answer.verdicts.end(), qPrintable(QStringLiteral("item %1 should be missing").arg(i + 1)));
                QVERIFY(answer.missing.contains(i + 1));
            } else {
                QVERIFY2(it != answer.verdicts.end(), qPrintable(QStringLiteral("item %1 has no verdict").arg(i + 1)));
                QCOMPARE(it->second.keep, expected == u'k');
                QVERIFY(!answer.missing.contains(i + 1));
            }
        }
    }

    void reasonIsKept()
    {
        const ParsedAnswer a = parseVerdicts(QStringLiteral(R"([{"media":1,"filename":"IMG_1.jpg","saveable":false,"reason":"finger over the lens"}])"),
                                             {{1, QStringLiteral("IMG_1.jpg")}});
        QCOMPARE(a.verdicts.at(1).reason, QStringLiteral("finger over the lens"));
    }

    void estimateUsesDocumentedRates()
    {
        std::vector<EstimateInput> items(20, EstimateInput{MediaKind::Photo, 0});
        items.push_back({MediaKind::Video, 10.0});
        const TokenRates rates; // Gemini 3 at LOW: 280 per image, 70 per frame + 32 audio per second
        const CostEstimate e = estimateCost(items, 20, rates, ModelPrice{1.0, 2.0, true});
        QCOMPARE(e.requests, 2);
        QCOMPARE(e.inputTokens, qint64(20 * 280 + 10 * (70 + 32) + 21 * rates.textTokensPerItem + 2 * rates.instructionTokens));
        QVERIFY(e.usd > 0);
        QVERIFY(ModelPrice::forModel(QStringLiteral("gemini-3.5-flash-lite")).known);
        // Never "unknown": an id without a table price gets its tier's highest, marked assumed
        // (the rows are in tst_gemini_pricing).
        QCOMPARE(ModelPrice::forModel(QStringLiteral("gemini-4-argon")).source, PriceSource::Assumed);
        QCOMPARE(TokenRates::forModel(QStringLiteral("gemini-2.5-flash")).imageTokens, 258);
    }
};

QTEST_GUILESS_MAIN(TestTriageParser)
#include "tst_triage_parser.moc"
