// End-to-end checks of the video compressor on tiny generated clips (make-video-fixtures.sh):
// every output is read back with libavformat and held against the Gemini profile.
#include "tst_videocompressor_probe.h"

#include "video/CompressionProfile.h"
#include "video/FrameGeometry.h"
#include "video/VideoCompressor.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>

using namespace mt;

class TestVideoCompressor : public QObject
{
    Q_OBJECT

private:
    QString fixture(const QString &name) const { return m_fixtures + QLatin1Char('/') + name; }
    QString out(const QString &name) const { return m_out.filePath(name); }
    // Only the output itself may be in the folder: no temporary files left over.
    QStringList leftovers(const QString &except = {}) const
    {
        QStringList files = QDir(m_out.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
        files.removeAll(except);
        return files;
    }
    // Checks the whole profile; returns the probe for test-specific checks.
    probe::Info checkProfile(const QString &path, double sourceDuration, bool withAudio)
    {
        const probe::Info p = probe::read(path);
        [&] {
            QVERIFY2(p.ok, qPrintable(p.error));
            QCOMPARE(p.formatName, QStringLiteral("matroska,webm"));
            QCOMPARE(p.videoStreams, 1);
            QCOMPARE(p.videoCodec, QStringLiteral("av1"));
            QVERIFY(std::max(p.width, p.height) <= 768);
            QVERIFY(p.width % 2 == 0 && p.height % 2 == 0);
            QVERIFY2(p.fps() <= 5.0 + 1e-6, qPrintable(QString::number(p.fps())));
            QVERIFY2(std::abs(p.duration - sourceDuration) <= 0.05 * sourceDuration,
                     qPrintable(QStringLiteral("duration %1 vs source %2").arg(p.duration).arg(sourceDuration)));
            if (withAudio) {
                QCOMPARE(p.audioStreams, 1);
                QCOMPARE(p.audioCodec, QStringLiteral("opus"));
                QCOMPARE(p.channels, 1);
                QCOMPARE(p.sampleRate, 48000);
            } else {
                QCOMPARE(p.audioStreams, 0);
            }
        }();
        return p;
    }

    QString m_fixtures = QStringLiteral(MT_VIDEO_FIXTURE_DIR);
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
        for (const QString &f : QDir(m_out.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot))
            QFile::remove(m_out.filePath(f));
    }

    // --- pure pieces -------------------------------------------------------------------------
    void outputSize_data()
    {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("sarNum");
        QTest::addColumn<int>("rotation");
        QTest::addColumn<int>("ew");
        QTest::addColumn<int>("eh");
        QTest::newRow("1080p") << 1920 << 1080 << 1 << 0 << 768 << 432;
        QTest::newRow("4K portrait by matrix") << 3840 << 2160 << 1 << 90 << 432 << 768;
        QTest::newRow("4K upside down") << 3840 << 2160 << 1 << 180 << 768 << 432;
        QTest::newRow("small never upscaled") << 640 << 360 << 1 << 0 << 640 << 360;
        QTest::newRow("odd dims") << 321 << 241 << 1 << 0 << 320 << 240;
        QTest::newRow("odd rotated") << 321 << 241 << 1 << 270 << 240 << 320;
        QTest::newRow("4:3 photo-like") << 4032 << 3024 << 1 << 0 << 768 << 576;
        QTest::newRow("anamorphic 2:1 SAR") << 720 << 576 << 2 << 0 << 768 << 306;
    }
    void outputSize()
    {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(int, sarNum);
        QFETCH(int, rotation);
        QFETCH(int, ew);
        QFETCH(int, eh);
        const Size2 s = uprightOutputSize({w, h}, AVRational{sarNum, 1}, rotation, 768);
        QCOMPARE(s.width, ew);
        QCOMPARE(s.height, eh);
    }

    void rotation()
    {
        // 4x2 luma with distinct values; rotating clockwise by 90 must put the left column on top.
        AVFrame *src = av_frame_alloc();
        src->format = AV_PIX_FMT_YUV420P;
        src->width = 4;
        src->height = 2;
        QVERIFY(av_frame_get_buffer(src, 0) >= 0);
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 4; ++x)
                src->data[0][y * src->linesize[0] + x] = uint8_t(10 * y + x); // row 0: 0 1 2 3, row 1: 10..13
        for (int x = 0; x < 2; ++x) {
            src->data[1][x] = uint8_t(100 + x);
            src->data[2][x] = uint8_t(200 + x);
        }
        auto rotated = [&](int degrees, int w, int h) {
            AVFrame *dst = av_frame_alloc();
            dst->format = AV_PIX_FMT_YUV420P;
            dst->width = w;
            dst->height = h;
            av_frame_get_buffer(dst, 0);
            rotateYuv420(*src, *dst, degrees);
            return dst;
        };
        auto at = [](const AVFrame *f, int x, int y) { return int(f->data[0][y * f->linesize[0] + x]); };

        AVFrame *cw90 = rotated(90, 2, 4);
        // Clockwise: the bottom-left source pixel becomes the top-left one.
        QCOMPARE(at(cw90, 0, 0), 10);
        QCOMPARE(at(cw90, 1, 0), 0);
        QCOMPARE(at(cw90, 0, 3), 13);
        QCOMPARE(at(cw90, 1, 3), 3);
        QCOMPARE(int(cw90->data[1][0]), 100); // chroma 2x1 -> 1x2
        QCOMPARE(int(cw90->data[1][cw90->linesize[1]]), 101);
        AVFrame *cw270 = rotated(270, 2, 4);
        QCOMPARE(at(cw270, 0, 0), 3);
        QCOMPARE(at(cw270, 1, 0), 13);
        QCOMPARE(at(cw270, 0, 3), 0);
        AVFrame *r180 = rotated(180, 4, 2);
        QCOMPARE(at(r180, 0, 0), 13);
        QCOMPARE(at(r180, 3, 1), 0);
        QCOMPARE(int(r180->data[2][0]), 201);
        av_frame_free(&cw90);
        av_frame_free(&cw270);
        av_frame_free(&r180);
        av_frame_free(&src);
    }

    void presetByDuration()
    {
        CompressionProfile p;
        QVERIFY(p.presetForDuration(30) <= p.presetForDuration(30 * 60));
        QVERIFY(p.presetForDuration(30 * 60) <= p.presetForDuration(3 * 3600));
        QCOMPARE(p.presetForDuration(3 * 3600), 10);
        p.preset = 12;
        QCOMPARE(p.presetForDuration(30), 12);
    }

    // --- whole clips -------------------------------------------------------------------------
    void landscapeWithAudio()
    {
        double lastProgress = -1;
        bool monotonic = true;
        const Result<CompressionReport> r = VideoCompressor().compress(
            fixture(QStringLiteral("landscape.mp4")), out(QStringLiteral("a.webm")), [&](double f) {
                monotonic = monotonic && f >= lastProgress && f >= 0 && f <= 1;
                lastProgress = f;
            });
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QVERIFY(monotonic);
        QCOMPARE(lastProgress, 1.0);
        QVERIFY(r->hasAudio);
        QVERIFY(!r->incomplete);
        QCOMPARE(r->outputBytes, QFileInfo(out(QStringLiteral("a.webm"))).size());
        const probe::Info p = checkProfile(out(QStringLiteral("a.webm")), 3.0, true);
        QCOMPARE(p.width, 640); // never upscaled
        QCOMPARE(p.height, 360);
        QVERIFY2(std::abs(p.fps() - 5.0) < 0.3, qPrintable(QString::number(p.fps())));
        // 90 pictures at 30 fps in, 15 out: only those 15 went through scaling and encoding.
        QCOMPARE(r->decodedFrames, 90);
        QCOMPARE(r->encodedFrames, 15);
        QCOMPARE(p.videoFrames, 15);
        QCOMPARE(leftovers(QStringLiteral("a.webm")), QStringList());
    }

    void portraitByDisplayMatrix()
    {
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("portrait.mp4")), out(QStringLiteral("p.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        const probe::Info p = checkProfile(out(QStringLiteral("p.webm")), 2.0, true);
        QCOMPARE(p.width, 360);
        QCOMPARE(p.height, 640);
        // Same way up as ffmpeg's own autorotate shows it, not merely the right shape.
        QFile refFile(fixture(QStringLiteral("portrait-ref.gray")));
        QVERIFY(refFile.open(QIODevice::ReadOnly));
        const QByteArray ref = refFile.readAll();
        const QByteArray ours = probe::firstFrameGrey(out(QStringLiteral("p.webm")), 36, 64);
        QCOMPARE(ours.size(), ref.size());
        double same = 0, flipped = 0;
        for (int i = 0; i < ref.size(); ++i) {
            same += std::abs(int(uint8_t(ours[i])) - int(uint8_t(ref[i])));
            flipped += std::abs(int(uint8_t(ours[i])) - int(uint8_t(ref[ref.size() - 1 - i])));
        }
        same /= ref.size();
        flipped /= ref.size();
        QVERIFY2(same < 12 && same * 2 < flipped,
                 qPrintable(QStringLiteral("mean difference %1 to reference, %2 to it upside down").arg(same).arg(flipped)));
    }

    void hevc10bit()
    {
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("hevc10.mp4")), out(QStringLiteral("h.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        checkProfile(out(QStringLiteral("h.webm")), 2.0, true);
    }

    void lowFrameRateKept()
    {
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("lowfps.mp4")), out(QStringLiteral("l.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        const probe::Info p = checkProfile(out(QStringLiteral("l.webm")), 3.0, false);
        QCOMPARE(p.width, 640);
        QCOMPARE(p.height, 480);
        QCOMPARE(p.videoFrames, 9);
        QVERIFY2(std::abs(p.fps() - 3.0) < 0.05, qPrintable(QString::number(p.fps())));
        QCOMPARE(r->frameRate, 3.0);
    }

    void noAudioOddDimensions()
    {
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("noaudio-odd.mkv")), out(QStringLiteral("n.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QVERIFY(!r->hasAudio);
        const probe::Info p = checkProfile(out(QStringLiteral("n.webm")), 2.0, false);
        QCOMPARE(p.width, 320);
        QCOMPARE(p.height, 240);
    }

    void variableFrameRate()
    {
        const probe::Info source = probe::read(fixture(QStringLiteral("vfr.mkv")));
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("vfr.mkv")), out(QStringLiteral("v.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        const probe::Info p = checkProfile(out(QStringLiteral("v.webm")), source.duration, false);
        QVERIFY(p.videoFrames >= 10);
    }

    void firstOfSeveralAudioTracks()
    {
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("twoaudio.mkv")), out(QStringLiteral("t.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        const probe::Info source = probe::read(fixture(QStringLiteral("twoaudio.mkv")));
        checkProfile(out(QStringLiteral("t.webm")), source.duration, true);
        // Track 1 is a 300 Hz tone, track 2 900 Hz: about 600 vs 1800 sign changes a second.
        const double zc = probe::zeroCrossingsPerSecond(out(QStringLiteral("t.webm")));
        QVERIFY2(zc > 450 && zc < 750, qPrintable(QString::number(zc)));
    }

    void cancelHalfWayLeavesNothing()
    {
        CancellationToken token;
        double cancelledAt = -1;
        const Result<CompressionReport> r = VideoCompressor().compress(
            fixture(QStringLiteral("landscape.mp4")), out(QStringLiteral("c.webm")),
            [&](double f) {
                if (f >= 0.5 && cancelledAt < 0) {
                    cancelledAt = f;
                    token.cancel();
                }
            },
            token);
        QVERIFY(cancelledAt >= 0.5 && cancelledAt < 1.0);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        QVERIFY(!QFile::exists(out(QStringLiteral("c.webm"))));
        QCOMPARE(leftovers(), QStringList());
    }

    void cancelledBeforeStart()
    {
        CancellationToken token;
        token.cancel();
        const Result<CompressionReport> r = VideoCompressor().compress(
            fixture(QStringLiteral("landscape.mp4")), out(QStringLiteral("c.webm")), {}, token);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        QCOMPARE(leftovers(), QStringList());
    }

    void corruptMidStreamIsSkipped()
    {
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("corrupt.mp4")), out(QStringLiteral("x.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        // The damage costs some frames at most, never the clip.
        checkProfile(out(QStringLiteral("x.webm")), 3.0, true);
    }

    void truncatedKeepsWhatCanBeRead()
    {
        const Result<CompressionReport> r =
            VideoCompressor().compress(fixture(QStringLiteral("truncated.mp4")), out(QStringLiteral("tr.webm")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QVERIFY(r->incomplete);
        QVERIFY(!r->warning.isEmpty());
        const probe::Info p = probe::read(out(QStringLiteral("tr.webm")));
        QVERIFY(p.ok);
        QCOMPARE(p.videoCodec, QStringLiteral("av1"));
        QVERIFY2(p.duration > 0.5 && p.duration < 2.9, qPrintable(QString::number(p.duration)));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("truncated without index") << "truncated-noindex.mp4" << int(Error::Code::Corrupt) << "damaged";
        QTest::newRow("audio only") << "audioonly.m4a" << int(Error::Code::UnsupportedFormat) << "audio only";
        QTest::newRow("audio with cover art") << "audiocover.m4a" << int(Error::Code::UnsupportedFormat) << "audio only";
        QTest::newRow("zero duration") << "zeroduration.mp4" << int(Error::Code::Empty) << "empty";
        QTest::newRow("missing") << "does-not-exist.mp4" << int(Error::Code::NotFound) << "not found";
    }
    void errors()
    {
        QFETCH(QString, input);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const Result<CompressionReport> r = VideoCompressor().compress(fixture(input), out(QStringLiteral("e.webm")));
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), code);
        QVERIFY2(r.error().message.contains(mentions, Qt::CaseInsensitive), qPrintable(r.error().message));
        QCOMPARE(leftovers(), QStringList());
    }

    void unwritableOutputFolder()
    {
        const Result<CompressionReport> r = VideoCompressor().compress(
            fixture(QStringLiteral("noaudio-odd.mkv")), out(QStringLiteral("no-such-folder/o.webm")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Io);
        QVERIFY2(r.error().message.contains(QStringLiteral("no-such-folder")), qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(TestVideoCompressor)
#include "tst_videocompressor.moc"
