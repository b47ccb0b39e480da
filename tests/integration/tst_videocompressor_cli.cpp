// `mediatriage-cli compress`: exit codes, output, no progress noise when not on a terminal.
#include "tst_videocompressor_probe.h"
#include "CliRun.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#include <fcntl.h>    // POSIX and /proc: this suite runs on Linux
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

class TestVideoCompressorCli : public QObject
{
    Q_OBJECT

private:
    using Run = mt::test::CliRun;
    Run cli(const QStringList &args) { return mt::test::runCli(QStringList{QStringLiteral("compress")} + args); }
    QString fixture(const QString &name) const { return QStringLiteral(MT_VIDEO_FIXTURE_DIR "/") + name; }
    QTemporaryDir m_out;

    static void sendSignal(QProcess &p, int signal)
    {
        QVERIFY(p.processId() > 0); // kill(0, …) would signal this suite too
        if (signal == SIGTERM)
            p.terminate();
        else
            ::kill(pid_t(p.processId()), signal);
    }
    // Milliseconds until the process ended, or -1 (and killed) if it outlived `limitMs`.
    static qint64 millisecondsToExit(QProcess &p, const QElapsedTimer &since, int limitMs = 5000)
    {
        // waitForFinished() is false for a process that already ended; the time is then an upper bound.
        if (p.state() == QProcess::NotRunning || p.waitForFinished(limitMs))
            return since.elapsed();
        p.kill();
        p.waitForFinished();
        return -1;
    }
    static QStringList filesIn(const QTemporaryDir &dir)
    {
        return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System);
    }

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
        sendSignal(p, signal);
        const qint64 elapsed = millisecondsToExit(p, clock);
        qInfo("signal %d: exit %d after %lld ms", signal, p.exitCode(), elapsed);
        QVERIFY2(elapsed >= 0 && elapsed <= 2000, qPrintable(QString::number(elapsed)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), exitCode);
        QCOMPARE(filesIn(dir), QStringList());
    }

    // Work that cannot see the cancellation (here a read from a pipe that stays silent) is not
    // waited for: after the grace period the CLI removes its partial output and exits anyway; a
    // second signal ends it at once.
    void stuckWorkIsForcedOut_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("SIGTERM once") << int(SIGTERM) << 1 << 143;
        QTest::newRow("SIGINT once") << int(SIGINT) << 1 << 130;
        QTest::newRow("SIGINT twice") << int(SIGINT) << 2 << 130;
    }
    void stuckWorkIsForcedOut()
    {
        QFETCH(int, signal);
        QFETCH(int, count);
        QFETCH(int, exitCode);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString pipePath = dir.filePath(QStringLiteral("in.mkv"));
        QCOMPARE(::mkfifo(QFile::encodeName(pipePath).constData(), 0600), 0);
        const QString output = dir.filePath(QStringLiteral("out.webm"));
        QProcess p;
        p.start(QStringLiteral(MT_CLI_PATH), {QStringLiteral("compress"), pipePath, output});
        QVERIFY(p.waitForStarted());
        // The start of a clip, less than a pipe buffer so the write never blocks, then silence
        // with the pipe kept open: the CLI waits in read() for the rest.
        QFile source(fixture(QStringLiteral("noaudio-odd.mkv")));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray head = source.read(60000);
        const int pipeFd = ::open(QFile::encodeName(pipePath).constData(), O_WRONLY);
        QVERIFY(pipeFd >= 0);
        const auto closePipe = qScopeGuard([pipeFd] { ::close(pipeFd); });
        QCOMPARE(::write(pipeFd, head.constData(), size_t(head.size())), ssize_t(head.size()));
        const QString partial = output + QStringLiteral(".part");
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(partial), 30000);
        const auto waitsOnPipe = [&p] {
            QFile wchan(QStringLiteral("/proc/%1/wchan").arg(p.processId()));
            return wchan.open(QIODevice::ReadOnly) && wchan.readAll().contains("pipe");
        };
        QTRY_VERIFY_WITH_TIMEOUT(waitsOnPipe(), 30000);

        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < count; ++i) {
            if (i > 0)
                QTest::qWait(100);
            sendSignal(p, signal);
        }
        const qint64 elapsed = millisecondsToExit(p, clock);
        qInfo("%d x signal %d: exit %d after %lld ms", count, signal, p.exitCode(), elapsed);
        QVERIFY2(elapsed >= 0, "still running 5 s after the signal");
        // Forced: not before the grace period (1.5 s) unless signalled twice; within 2 s either way.
        QVERIFY2(count > 1 ? elapsed < 1000 : elapsed >= 1400, qPrintable(QString::number(elapsed)));
        QVERIFY2(elapsed <= 2000, qPrintable(QString::number(elapsed)));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), exitCode);
        QCOMPARE(filesIn(dir), QStringList{QStringLiteral("in.mkv")});
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
