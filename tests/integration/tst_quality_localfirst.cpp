// "Send only uncertain items to Gemini" (triage --local-first) against the fake Gemini: confident
// offline verdicts never reach it, uncertain ones do, with the offline measurements as hints.
#include "FakeGeminiServer.h"
#include "QualityScenes.h"

#include "media/MediaType.h"
#include "quality/LocalFirstTriage.h"
#include "triage/TriagePrompt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;

class QualityLocalFirstTest : public QObject {
    Q_OBJECT

    std::unique_ptr<fakes::FakeGeminiServer> m_server;
    QTemporaryDir m_home;

    QString media() const { return m_home.filePath(QStringLiteral("media")); }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"GEMINI_API_KEY", "GOOGLE_API_KEY", "DBUS_SESSION_BUS_ADDRESS", "GEMINI_MODEL"})
            e.remove(QString::fromLatin1(name));
        e.insert(QStringLiteral("GEMINI_API_KEY"), m_server->options().apiKey);
        e.insert(QStringLiteral("GEMINI_BASE_URL"), m_server->baseUrl().toString());
        e.insert(QStringLiteral("GEMINI_MODEL"), QStringLiteral("gemini-test-flash"));
        e.insert(QStringLiteral("HOME"), m_home.path());
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        return e;
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<fakes::FakeGeminiServer>();
        QVERIFY(m_server->start());
        QVERIFY(QDir().mkpath(media()));
        const QImage scene = test::withNoise(test::texturedScene(1200, 900, 91), 1.5, 1);
        QVERIFY(scene.save(QDir(media()).filePath(QStringLiteral("sharp.jpg")), "JPEG", 90));
        QVERIFY(test::blackFrame(1200, 900, 2).save(QDir(media()).filePath(QStringLiteral("black.jpg")), "JPEG", 90));
        // Soft enough that the offline engine keeps it without confidence; the fake Gemini
        // discards any name with "blur" in it, which shows whose verdict came back.
        QVERIFY(test::defocus(test::texturedScene(1200, 900, 92), 0.0045)
                    .save(QDir(media()).filePath(QStringLiteral("soft-blur.jpg")), "JPEG", 90));
    }

    void planSplitsByConfidence()
    {
        std::vector<MediaItem> items;
        for (const char *f : {"black.jpg", "sharp.jpg", "soft-blur.jpg"})
            items.push_back(inspectFile(QDir(media()).filePath(QString::fromLatin1(f))));
        const auto plan = quality::LocalFirstTriage::plan(items);
        QCOMPARE(plan.settledLocally(), 2);
        QCOMPARE(int(plan.forGemini().size()), 1);
        QCOMPARE(plan.forGemini().front().fileName, QStringLiteral("soft-blur.jpg"));
        const QString hint = plan.hints()(plan.forGemini().front());
        QVERIFY2(hint.contains(QLatin1String("sharpness")) && hint.contains(QLatin1String("local verdict")), qPrintable(hint));

        // The hint lands in the item's metadata block of the request.
        MediaMetadata metadata;
        PromptItem prompt{&plan.forGemini().front(), &metadata, gemini::TextPart{}, hint};
        const gemini::GenerateRequest request = TriagePrompt().request({&prompt});
        QVERIFY(std::get<gemini::TextPart>(request.parts.front()).text.contains(hint));
    }

    void cliSendsOnlyTheUncertain()
    {
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(QStringLiteral(MT_CLI_PATH), {QStringLiteral("triage"), QStringLiteral("--local-first"), QStringLiteral("--json"), media()});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonArray items = QJsonDocument::fromJson(p.readAllStandardOutput())[QLatin1String("items")].toArray();
        QCOMPARE(items.size(), 3);
        QHash<QString, QJsonObject> byName;
        for (const QJsonValue &v : items)
            byName.insert(QFileInfo(v[QLatin1String("path")].toString()).fileName(), v.toObject());
        QCOMPARE(byName[QStringLiteral("black.jpg")][QLatin1String("source")].toString(), QStringLiteral("local"));
        QCOMPARE(byName[QStringLiteral("black.jpg")][QLatin1String("verdict")].toString(), QStringLiteral("discard"));
        QCOMPARE(byName[QStringLiteral("sharp.jpg")][QLatin1String("source")].toString(), QStringLiteral("local"));
        QCOMPARE(byName[QStringLiteral("sharp.jpg")][QLatin1String("verdict")].toString(), QStringLiteral("keep"));
        QCOMPARE(byName[QStringLiteral("soft-blur.jpg")][QLatin1String("source")].toString(), QStringLiteral("gemini"));
        QCOMPARE(byName[QStringLiteral("soft-blur.jpg")][QLatin1String("verdict")].toString(), QStringLiteral("discard"));
        QCOMPARE(m_server->judgedFiles(), QStringList{QStringLiteral("soft-blur.jpg")});
        QVERIFY2(m_server->violations().isEmpty(), qPrintable(m_server->violations().join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(QualityLocalFirstTest)
#include "tst_quality_localfirst.moc"
