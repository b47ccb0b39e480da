// XMP sidecars: created and updated in place (foreign properties kept), Adobe and darktable
// names, the person's stars never overwritten, a sidecar that is not XML left alone with a clear
// message, and the written rating read back by Exiv2 and, where installed, by exiftool.
#include "triage/ContentHash.h"
#include "xmp/XmpDecisions.h"
#include "xmp/XmpSidecar.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <exiv2/exiv2.hpp>

using namespace mt;

namespace {

const QDateTime kDecided(QDate(2026, 12, 6), QTime(1, 0, 0), Qt::UTC);

// A darktable sidecar with an edit history and a property in a namespace nobody here knows.
// (Plain literals: moc misreads a raw string holding quotes and "//".)
const char *kDarktableSidecar =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"XMP Core 4.4.0-Exiv2\">\n"
    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
    "  <rdf:Description rdf:about=\"\"\n"
    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
    "    xmlns:darktable=\"http://darktable.sf.net/\"\n"
    "    xmlns:acme=\"http://example.com/acme/1.0/\"\n"
    "   xmp:Rating=\"%1\"\n"
    "   darktable:history_end=\"2\"\n"
    "   acme:Secret=\"keep me\">\n"
    "   <darktable:history>\n"
    "    <rdf:Seq>\n"
    "     <rdf:li darktable:operation=\"exposure\" darktable:enabled=\"1\" darktable:params=\"0000803f\"/>\n"
    "     <rdf:li darktable:operation=\"colorin\" darktable:enabled=\"1\" darktable:params=\"gz48eJxjZBgFo2AUjAIAAA\"/>\n"
    "    </rdf:Seq>\n"
    "   </darktable:history>\n"
    "  </rdf:Description>\n"
    " </rdf:RDF>\n"
    "</x:xmpmeta>\n";

QString sidecarValue(const QString &path, const char *key)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("<no file>");
    Exiv2::XmpData xmp;
    if (Exiv2::XmpParser::decode(xmp, f.readAll().toStdString()) != 0)
        return QStringLiteral("<not xmp>");
    const auto it = xmp.findKey(Exiv2::XmpKey(key));
    return it == xmp.end() ? QString() : QString::fromStdString(it->toString());
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class XmpSidecarTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString media(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        if (!QFile::exists(path)) {
            QImage image(64, 48, QImage::Format_RGB32);
            image.fill(Qt::darkGreen);
            image.save(path, "JPEG");
        }
        return path;
    }

private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void cleanup()
    {
        QDir dir(m_dir.path());
        for (const QString &name : dir.entryList(QDir::Files))
            dir.remove(name);
    }

    void createsAndNeverTouchesTheOriginal()
    {
        const QString photo = media(QStringLiteral("IMG_1.JPG"));
        const auto before = contentHash(photo);
        auto written = XmpSidecar::writeDecision(photo, {true, QStringLiteral("too dark"), QStringLiteral("local"), {}, kDecided},
                                                 SidecarStyle::Darktable);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        QCOMPARE(*written, photo + QStringLiteral(".xmp"));
        QCOMPARE(sidecarValue(*written, "Xmp.xmp.Rating"), QStringLiteral("-1"));
        QCOMPARE(sidecarValue(*written, "Xmp.mediatriage.Verdict"), QStringLiteral("discard"));
        QCOMPARE(sidecarValue(*written, "Xmp.mediatriage.Reason"), QStringLiteral("too dark"));
        QCOMPARE(sidecarValue(*written, "Xmp.mediatriage.Engine"), QStringLiteral("local"));
        QCOMPARE(sidecarValue(*written, "Xmp.mediatriage.Date"), QStringLiteral("2026-12-06T01:00:00Z"));
        QCOMPARE(contentHash(photo).value(), before.value());
        const auto rating = XmpSidecar::readRating(photo);
        QVERIFY(rating);
        QCOMPARE(rating->rating, std::optional<int>(-1));
        QCOMPARE(rating->source, *written);
    }

    void naming_data()
    {
        QTest::addColumn<int>("style");
        QTest::addColumn<QString>("existing"); // a sidecar already there, or empty
        QTest::addColumn<QString>("expected");
        QTest::newRow("new, darktable style") << int(SidecarStyle::Darktable) << "" << "IMG_2.CR2.xmp";
        QTest::newRow("new, Adobe style") << int(SidecarStyle::Adobe) << "" << "IMG_2.xmp";
        QTest::newRow("Adobe sidecar updated whatever the style") << int(SidecarStyle::Darktable) << "IMG_2.xmp" << "IMG_2.xmp";
        QTest::newRow("darktable sidecar updated whatever the style") << int(SidecarStyle::Adobe) << "IMG_2.CR2.xmp"
                                                                      << "IMG_2.CR2.xmp";
        QTest::newRow("upper-case extension") << int(SidecarStyle::Darktable) << "IMG_2.XMP" << "IMG_2.XMP";
    }
    void naming()
    {
        QFETCH(int, style);
        QFETCH(QString, existing);
        QFETCH(QString, expected);
        const QString raw = m_dir.filePath(QStringLiteral("IMG_2.CR2"));
        writeFile(raw, "not really a raw file; never read for a sidecar");
        if (!existing.isEmpty())
            writeFile(m_dir.filePath(existing), QByteArray(kDarktableSidecar).replace("%1", "0"));
        auto written = XmpSidecar::writeDecision(raw, {false, QStringLiteral("fine"), QStringLiteral("gemini"),
                                                       QStringLiteral("gemini-2.5-flash"), kDecided},
                                                 SidecarStyle(style));
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        QCOMPARE(QFileInfo(*written).fileName(), expected);
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("*.xmp"), QStringLiteral("*.XMP")}, QDir::Files).size(), 1);
        QCOMPARE(sidecarValue(*written, "Xmp.mediatriage.Model"), QStringLiteral("gemini-2.5-flash"));
        QCOMPARE(sidecarValue(*written, "Xmp.mediatriage.Verdict"), QStringLiteral("keep"));
    }

    // Stars the person gave stand; an unrated picture gets -1 on discard; a keep leaves the rating.
    void updatesInPlaceKeepingEverythingElse_data()
    {
        QTest::addColumn<QString>("rating");
        QTest::addColumn<bool>("discard");
        QTest::addColumn<QString>("expected");
        QTest::newRow("4 stars, discard: stars stand") << "4" << true << "4";
        QTest::newRow("unrated, discard: rejected") << "0" << true << "-1";
        QTest::newRow("unrated, keep: left as is") << "0" << false << "0";
        QTest::newRow("rejected, keep: left as is") << "-1" << false << "-1";
    }
    void updatesInPlaceKeepingEverythingElse()
    {
        QFETCH(QString, rating);
        QFETCH(bool, discard);
        QFETCH(QString, expected);
        const QString photo = media(QStringLiteral("IMG_3.JPG"));
        const QString sidecar = m_dir.filePath(QStringLiteral("IMG_3.JPG.xmp"));
        writeFile(sidecar, QByteArray(kDarktableSidecar).replace("%1", rating.toUtf8()));
        auto written = XmpSidecar::writeDecision(photo, {discard, QStringLiteral("r"), QStringLiteral("local"), {}, kDecided},
                                                 SidecarStyle::Adobe);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        QCOMPARE(*written, sidecar);
        QCOMPARE(sidecarValue(sidecar, "Xmp.xmp.Rating"), expected);
        QCOMPARE(sidecarValue(sidecar, "Xmp.darktable.history_end"), QStringLiteral("2"));
        QCOMPARE(sidecarValue(sidecar, "Xmp.darktable.history[1]/darktable:operation"), QStringLiteral("exposure"));
        QCOMPARE(sidecarValue(sidecar, "Xmp.darktable.history[2]/darktable:params"), QStringLiteral("gz48eJxjZBgFo2AUjAIAAA"));
        QFile text(sidecar);
        QVERIFY(text.open(QIODevice::ReadOnly));
        const QByteArray written2 = text.readAll();
        QVERIFY2(written2.contains("http://example.com/acme/1.0/") && written2.contains("keep me"), written2.constData());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("IMG_3.xmp"))));
    }

    void aSidecarThatIsNotXmlIsLeftAlone()
    {
        const QString bad = media(QStringLiteral("IMG_4.JPG"));
        const QString good = media(QStringLiteral("IMG_5.JPG"));
        const QByteArray garbage = "this is not XML at all {\"rating\": 5}\n";
        writeFile(bad + QStringLiteral(".xmp"), garbage);
        const auto rating = XmpSidecar::readRating(bad);
        QVERIFY(!rating);
        QVERIFY2(rating.error().message.contains(QStringLiteral("not XMP")), qPrintable(rating.error().message));

        TriageItemResult a, b;
        a.path = bad;
        b.path = good;
        a.verdict = b.verdict = VerdictKind::Discard;
        const XmpWriteSummary summary = XmpDecisions::write({a, b}, QStringLiteral("local"), {}, SidecarStyle::Darktable, kDecided);
        QCOMPARE(summary.written, 1);
        QCOMPARE(int(summary.failures.size()), 1);
        QCOMPARE(summary.failures.front().first, bad);
        QVERIFY(summary.failures.front().second.message.contains(QFileInfo(bad).fileName()));
        QFile kept(bad + QStringLiteral(".xmp"));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), garbage);
        QCOMPARE(sidecarValue(good + QStringLiteral(".xmp"), "Xmp.xmp.Rating"), QStringLiteral("-1"));

        const auto reviews = XmpDecisions::review({a, b});
        QVERIFY(reviews[0].error);
        QVERIFY(!reviews[1].error);
    }

    void conflicts_data()
    {
        QTest::addColumn<int>("rating"); // 99: none
        QTest::addColumn<int>("pick");   // 0: none
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("message");
        QTest::newRow("stars vs discard") << 4 << 0 << int(VerdictKind::Discard) << "you rated this 4★, the engine says discard";
        QTest::newRow("rejected vs keep") << -1 << 0 << int(VerdictKind::Keep) << "you rejected this, the engine says keep";
        QTest::newRow("digiKam reject vs keep") << 99 << 1 << int(VerdictKind::Keep) << "you rejected this, the engine says keep";
        QTest::newRow("digiKam accept vs discard") << 99 << 3 << int(VerdictKind::Discard) << "you picked this, the engine says discard";
        QTest::newRow("agreement") << 5 << 0 << int(VerdictKind::Keep) << "";
        QTest::newRow("unrated") << 0 << 0 << int(VerdictKind::Discard) << "";
    }
    void conflicts()
    {
        QFETCH(int, rating);
        QFETCH(int, pick);
        QFETCH(int, verdict);
        QFETCH(QString, message);
        XmpRating r;
        if (rating != 99)
            r.rating = rating;
        if (pick)
            r.pick = pick;
        QCOMPARE(XmpDecisions::conflict(r, VerdictKind(verdict)), message);
    }

    void reviewReadsTheSidecarAndPersonDecisionWins()
    {
        const QString photo = media(QStringLiteral("IMG_6.JPG"));
        writeFile(m_dir.filePath(QStringLiteral("IMG_6.xmp")), QByteArray(kDarktableSidecar).replace("%1", "4"));
        TriageItemResult r;
        r.path = photo;
        r.verdict = VerdictKind::Discard;
        const auto reviews = XmpDecisions::review({r});
        QVERIFY(reviews[0].rating);
        QCOMPARE(reviews[0].rating->rating, std::optional<int>(4));
        QCOMPARE(reviews[0].conflict, QStringLiteral("you rated this 4★, the engine says discard"));
        QCOMPARE(reviews[0].personKeep(), std::optional<bool>(true));
    }

    void exiftoolReadsTheRating()
    {
        const QString exiftool = QStandardPaths::findExecutable(QStringLiteral("exiftool"));
        if (exiftool.isEmpty())
            QSKIP("exiftool is not installed (Debian: libimage-exiftool-perl)");
        const QString photo = media(QStringLiteral("IMG_7.JPG"));
        auto written = XmpSidecar::writeDecision(photo, {true, QStringLiteral("blurry"), QStringLiteral("local"), {}, kDecided},
                                                 SidecarStyle::Adobe);
        QVERIFY(written);
        QProcess p;
        p.start(exiftool, {QStringLiteral("-s3"), QStringLiteral("-XMP:Rating"), QStringLiteral("-XMP-mediatriage:Verdict"), *written});
        QVERIFY(p.waitForFinished(60000));
        const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), QStringLiteral("-1"));
        QCOMPARE(lines.value(1), QStringLiteral("discard"));
    }
};

QTEST_GUILESS_MAIN(XmpSidecarTest)
#include "tst_xmp_sidecar.moc"
