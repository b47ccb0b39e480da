// Damaged and hostile videos never hang the compressor. Every way compress() can leave the
// transcoding loop (decode errors, a stream that stops, no usable picture, cancel, an exception,
// a real damaged file) runs under a time limit this suite enforces itself, so a regression fails
// here instead of hanging CTest: the CLI runs as a process that is killed at the limit, and
// in-process runs have a watchdog that aborts the suite.
#include "tst_videocompressor_probe.h"
#include "CliRun.h"

#include "video/VideoCompressor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace mt;

namespace {

// SVT-AV1's complaint when an encoder is freed without end-of-stream, right before it hangs.
constexpr const char *kNoEosMessage = "deinit called without sending EOS";

// Runs `work` on its own thread; if it has not returned within `limit`, the whole suite aborts
// (a stuck thread cannot be stopped, and waiting would hang CTest until its own timeout).
void runWithWatchdog(const std::function<void()> &work, std::chrono::milliseconds limit, const char *what)
{
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::thread worker([&] {
        work();
        std::lock_guard lock(mutex);
        done = true;
        finished.notify_all();
    });
    std::unique_lock lock(mutex);
    if (!finished.wait_for(lock, limit, [&] { return done; }))
        qFatal("%s did not return within %lld ms: the compressor hangs", what, qint64(limit.count()));
    lock.unlock();
    worker.join();
}

} // namespace

class TestVideoCompressorDamaged : public QObject
{
    Q_OBJECT

private:
    static QString fixture(const QString &name) { return QStringLiteral(MT_VIDEO_FIXTURE_DIR "/") + name; }
    static QString shared(const QString &relative)
    {
        return QDir(QStringLiteral(MT_SHARED_MEDIA_DIR "/..")).filePath(relative);
    }
    QStringList leftovers() const
    {
        return QDir(m_out.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    QTemporaryDir m_out;

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(fixture(QStringLiteral(".complete"))),
                 "video fixtures missing: run ctest (fixture make_video_fixtures) first");
        QVERIFY(m_out.isValid());
    }
    void cleanup()
    {
        for (const QString &f : leftovers())
            QFile::remove(m_out.filePath(f));
    }

    // --- the CLI on each exit path, killed if it outlives its limit ------------------------------
    void cliEndsInTime_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("limitMs");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions"); // on stderr
        // ExifTool's 3.9 KB test movie: an MJPEG header and almost no media data.
        QTest::newRow("real: exiftool QuickTime.mov")
            << shared(QStringLiteral("damaged/exiftool__QuickTime.mov")) << 10000 << 1 << "could be decoded";
        // A real truncated MP4 from jcodec's test data: not one picture decodes (ffmpeg agrees).
        QTest::newRow("real: jcodec keyed.mp4 (truncated)")
            << shared(QStringLiteral("media/jcodec__keyed.mp4")) << 10000 << 1 << "could be decoded";
        QTest::newRow("every video packet scrambled") << fixture(QStringLiteral("garbage-video.mkv")) << 10000 << 1
                                                      << "could be decoded";
        QTest::newRow("decode errors mid-stream") << fixture(QStringLiteral("corrupt.mp4")) << 60000 << 0 << "";
        QTest::newRow("video stops, sound goes on") << fixture(QStringLiteral("videoends.mkv")) << 60000 << 0 << "";
        QTest::newRow("truncated, index in front") << fixture(QStringLiteral("truncated.mp4")) << 60000 << 0
                                                   << "ends early";
        QTest::newRow("truncated, no index") << fixture(QStringLiteral("truncated-noindex.mp4")) << 10000 << 1
                                             << "damaged";
        QTest::newRow("zero length") << fixture(QStringLiteral("zeroduration.mp4")) << 10000 << 1 << "empty";
    }
    void cliEndsInTime()
    {
        QFETCH(QString, input);
        QFETCH(int, limitMs);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QVERIFY2(QFile::exists(input), qPrintable(input));
        const QString output = m_out.filePath(QStringLiteral("out.webm"));
        QElapsedTimer clock;
        clock.start();
        const test::CliRun r = test::runCli(
            {QStringLiteral("compress"), QStringLiteral("--preset"), QStringLiteral("12"), input, output},
            QProcessEnvironment::systemEnvironment(), limitMs);
        const qint64 elapsed = clock.elapsed();
        qInfo("%s: exit %d after %lld ms", qPrintable(QFileInfo(input).fileName()), r.exitCode, elapsed);
        QVERIFY2(r.exitCode != -1, qPrintable(QStringLiteral("hung or crashed (killed after %1 ms): %2")
                                                  .arg(elapsed).arg(QString::fromUtf8(r.err))));
        QVERIFY2(!r.err.contains(kNoEosMessage), r.err.constData());
        QCOMPARE(r.exitCode, exitCode);
        if (!mentions.isEmpty())
            QVERIFY2(QString::fromUtf8(r.err).contains(mentions, Qt::CaseInsensitive), r.err.constData());
        if (exitCode == 0) {
            const probe::Info p = probe::read(output);
            QVERIFY2(p.ok, qPrintable(p.error));
            QCOMPARE(p.videoCodec, QStringLiteral("av1"));
            QVERIFY(p.videoFrames > 0);
            QCOMPARE(leftovers(), QStringList{QStringLiteral("out.webm")});
        } else {
            QCOMPARE(leftovers(), QStringList());
        }
    }

    // --- in-process exits after the encoder has started -------------------------------------------
    void stopsInTimeAfterEncoderStarted_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("cancel at the first picture") << "cancel";
        QTest::newRow("exception from the progress callback") << "throw";
        QTest::newRow("deadline passes") << "deadline";
    }
    void stopsInTimeAfterEncoderStarted()
    {
        QFETCH(QString, how);
        const QString output = m_out.filePath(QStringLiteral("s.webm"));
        CancellationToken token;
        int progressCalls = 0;
        const auto onProgress = [&](double) {
            if (++progressCalls != 1)
                return;
            if (how == QLatin1String("cancel"))
                token.cancel();
            else if (how == QLatin1String("deadline"))
                token.setTimeout(std::chrono::milliseconds(0));
            else if (how == QLatin1String("throw"))
                throw std::runtime_error("progress sink failed");
        };
        std::optional<Result<CompressionReport>> result;
        bool threw = false;
        QElapsedTimer clock;
        clock.start();
        runWithWatchdog(
            [&] {
                try {
                    result = VideoCompressor().compress(fixture(QStringLiteral("landscape.mp4")), output, onProgress,
                                                        token);
                } catch (const std::runtime_error &) {
                    threw = true;
                }
            },
            std::chrono::seconds(30), qPrintable(how));
        qInfo("%s: returned after %lld ms", qPrintable(how), clock.elapsed());
        if (how == QLatin1String("throw")) {
            QVERIFY(threw);
        } else {
            QVERIFY(result.has_value());
            QVERIFY(!result->ok());
            QCOMPARE(result->error().code, Error::Code::Cancelled);
        }
        QVERIFY2(progressCalls >= 1, "the encoder never started");
        QVERIFY(!QFile::exists(output));
        QCOMPARE(leftovers(), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestVideoCompressorDamaged)
#include "tst_videocompressor_damaged.moc"
