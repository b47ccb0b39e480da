// `mediatriage-cli compress`: exit codes, output, no progress noise when not on a terminal.
#include "tst_videocompressor_probe.h"
#include "CliRun.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#include <signal.h> // kill(): this suite runs on Linux

class TestVideoCompressorCli : public QObject
{
    Q_OBJECT

private:
    using Run = mt::test::CliRun;
    Run cli(const QStringList &args) { return mt::test::runCli(QStringList{QStringLiteral("compress")} + args); }
    QString fixture(const QString &name) const { return QStringLiteral(MT_VIDEO_FIXTURE_DIR "/") + name; }
    QTemporaryDir m_out;

private slots:
    void compressesWithPresetAndJson()
    {
        const QString output = m_out.filePath(QStringLiteral("cli.webm"));
        const Run r = cli({QStringLiteral("--preset"), QStringLiteral("12"), QStringLiteral("--json"),
                           fixture(QStringLiteral("noaudio-odd.mkv")), output});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("preset")).toInt(), 12);
        QCOMPARE(o.value(QStringLiteral("width")).toInt(), 320);
        QCOMPARE(o.value(QStringLiteral("audio")).toBool(), false);
        // Not a terminal: no carriage-return progress line on stderr.
        QVERIFY2(!r.err.contains('\r'), r.err.constData());
        const probe::Info p = probe::read(output);
        QVERIFY(p.ok);
        QCOMPARE(p.videoCodec, QStringLiteral("av1"));
    }

    void plainSummaryLine()
    {
        const QString output = m_out.filePath(QStringLiteral("plain.webm"));
        const Run r = cli({QStringLiteral("--preset"), QStringLiteral("12"), fixture(QStringLiteral("lowfps.mp4")), output});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("640x480") && r.out.contains("3 fps"), r.out.constData());
    }

    void failureExitsOne()
    {
        const QString output = m_out.filePath(QStringLiteral("fail.webm"));
        const Run r = cli({fixture(QStringLiteral("audioonly.m4a")), output});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("audio only"), r.err.constData());
        QVERIFY(!QFile::exists(output));
    }

    // A signal during a 4K compression: the CLI is gone within 2 s, with the shell's code for
    // the signal, and leaves neither the output nor its partial file.
    void signalStopsWithinTwoSeconds_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("SIGTERM") << int(SIGTERM) << 143;
        QTest::newRow("SIGINT") << int(SIGINT) << 130;
    }
    void signalStopsWithinTwoSeconds()
    {
        QFETCH(int, signal);
        QFETCH(int, exitCode);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString output = dir.filePath(QStringLiteral("uhd.webm"));
        QProcess p;
        p.start(QStringLiteral(MT_CLI_PATH), {QStringLiteral("compress"), fixture(QStringLiteral("uhd.mp4")), output});
        QVERIFY(p.waitForStarted());
        // Encoding has started once the encoder's first packets reach the partial file.
        QElapsedTimer waited;
        waited.start();
        const auto encoding = [&] {
            const QStringList files = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
            return files.size() == 1 && QFileInfo(dir.filePath(files[0])).size() > 0;
        };
        while (!encoding() && p.state() == QProcess::Running && waited.elapsed() < 120000)
            QTest::qWait(20);
        QVERIFY2(p.state() == QProcess::Running, p.readAllStandardError().constData());
        QVERIFY2(encoding(), "no output after 120 s");

        QElapsedTimer clock;
        clock.start();
        if (signal == SIGTERM)
            p.terminate();
        else
            ::kill(pid_t(p.processId()), SIGINT);
        const bool ended = p.waitForFinished(5000);
        const qint64 elapsed = clock.elapsed();
        if (!ended) {
            p.kill();
            p.waitForFinished();
        }
        qInfo("signal %d: exit %d after %lld ms", signal, p.exitCode(), elapsed);
        QVERIFY2(ended, "still running 5 s after the signal");
        QVERIFY2(elapsed <= 2000, qPrintable(QString::number(elapsed)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), exitCode);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no arguments") << QStringList{};
        QTest::newRow("one argument") << QStringList{QStringLiteral("in.mp4")};
        QTest::newRow("not webm") << QStringList{QStringLiteral("in.mp4"), QStringLiteral("out.mp4")};
        QTest::newRow("bad preset") << QStringList{QStringLiteral("--preset"), QStringLiteral("20"),
                                                   QStringLiteral("in.mp4"), QStringLiteral("out.webm")};
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QCOMPARE(cli(args).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestVideoCompressorCli)
#include "tst_videocompressor_cli.moc"
