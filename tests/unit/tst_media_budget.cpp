// MediaBudget: the time one file's media work may take, from what the file claims, with the
// generous floors that keep healthy files (12 MP JPEG, 100 MP panorama, a 4K HEVC minute) far
// from it and the caps that keep a hostile claim from buying unlimited time.
#include "media/MediaBudget.h"
#include "metadata/MediaMetadata.h"

#include <QTest>

using mt::MediaBudget;
using mt::MediaClaim;
using mt::MediaKind;
using mt::MediaTask;

Q_DECLARE_METATYPE(MediaTask)
Q_DECLARE_METATYPE(MediaKind)

namespace {

constexpr qint64 kMB = 1000 * 1000;
constexpr qint64 k4K = 3840 * 2160;
constexpr qint64 k1080 = 1920 * 1080;

MediaClaim claim(MediaKind kind, qint64 bytes, qint64 pixels, double seconds)
{
    return MediaClaim{kind, bytes, pixels, seconds};
}

} // namespace

class TestMediaBudget : public QObject {
    Q_OBJECT
private slots:
    void forTask_data()
    {
        QTest::addColumn<MediaTask>("task");
        QTest::addColumn<MediaKind>("kind");
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<qint64>("pixels");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("scale");
        QTest::addColumn<qint64>("expectedMs");
        const auto P = MediaKind::Photo;
        const auto V = MediaKind::Video;
        // Probe: a floor, plus reading time for very large files.
        QTest::newRow("probe 5 MB photo") << MediaTask::Probe << P << 5 * kMB << 0LL << 0.0 << 1.0 << 15050LL;
        QTest::newRow("probe 2 GB video") << MediaTask::Probe << V << 2000 * kMB << 0LL << 0.0 << 1.0 << 35000LL;
        // Thumbnails: pictures by pixels; video by frame size (a seek and a frame or two).
        QTest::newRow("thumb 12 MP JPEG") << MediaTask::Thumbnail << P << 5 * kMB << 12000000LL << 0.0 << 1.0 << 21000LL;
        QTest::newRow("thumb 100 MP panorama") << MediaTask::Thumbnail << P << 60 * kMB << 100000000LL << 0.0 << 1.0 << 65000LL;
        QTest::newRow("thumb photo, size unknown") << MediaTask::Thumbnail << P << 5 * kMB << 0LL << 0.0 << 1.0 << 27000LL;
        QTest::newRow("thumb 65535² claim capped") << MediaTask::Thumbnail << P << 1 * kMB << 65535LL * 65535 << 0.0 << 1.0 << 140000LL;
        QTest::newRow("thumb 4K video") << MediaTask::Thumbnail << V << 375 * kMB << k4K << 60.0 << 1.0 << 53178LL;
        QTest::newRow("thumb video, size unknown") << MediaTask::Thumbnail << V << 375 * kMB << 0LL << 0.0 << 1.0 << 53178LL;
        // Analysis: one scaled picture, or eight positions each decoded forward from a key frame.
        QTest::newRow("analysis 12 MP photo") << MediaTask::Analysis << P << 5 * kMB << 12000000LL << 0.0 << 1.0 << 27200LL;
        QTest::newRow("analysis 1080p clip") << MediaTask::Analysis << V << 30 * kMB << k1080 << 20.0 << 1.0 << 61104LL;
        QTest::newRow("analysis 4K clip") << MediaTask::Analysis << V << 375 * kMB << k4K << 60.0 << 1.0 << 154416LL;
        // Transcode: the whole clip, by duration × frame size, plus the bytes to read.
        QTest::newRow("transcode 4K HEVC minute") << MediaTask::Transcode << V << 375 * kMB << k4K << 60.0 << 1.0 << 566881LL;
        QTest::newRow("transcode 10 h claimed in 1 MB") << MediaTask::Transcode << V << 1 * kMB << k1080 << 36000.0 << 1.0 << 849770LL;
        QTest::newRow("transcode 8K frame capped") << MediaTask::Transcode << V << 400 * kMB << 15360LL * 8640 << 10.0 << 1.0 << 383000LL;
        QTest::newRow("transcode, nothing claimed") << MediaTask::Transcode << V << 50 * kMB << 0LL << 0.0 << 1.0 << 62500LL;
        // The scale multiplies everything.
        QTest::newRow("scale 0.5") << MediaTask::Thumbnail << P << 5 * kMB << 12000000LL << 0.0 << 0.5 << 10500LL;
        QTest::newRow("scale 3") << MediaTask::Probe << P << 0LL << 0LL << 0.0 << 3.0 << 45000LL;
        QTest::newRow("scale 0.001") << MediaTask::Analysis << V << 30 * kMB << k1080 << 20.0 << 0.001 << 61LL;
        QTest::newRow("invalid scale means 1") << MediaTask::Probe << P << 0LL << 0LL << 0.0 << -2.0 << 15000LL;
    }
    void forTask()
    {
        QFETCH(MediaTask, task);
        QFETCH(MediaKind, kind);
        QFETCH(qint64, bytes);
        QFETCH(qint64, pixels);
        QFETCH(double, seconds);
        QFETCH(double, scale);
        QFETCH(qint64, expectedMs);
        QCOMPARE(qint64(MediaBudget(scale).forTask(task, claim(kind, bytes, pixels, seconds)).count()), expectedMs);
    }

    // The reason for the floors: what a slow, loaded 2-core machine needs for healthy files
    // (platform notes: 12 MP HEIC 1.2 s, 4K HEVC decodes at a few frames a second) stays far below.
    void healthyFilesHaveRoomToSpare()
    {
        const MediaBudget budget(1.0);
        using namespace std::chrono_literals;
        QVERIFY(budget.forTask(MediaTask::Thumbnail, claim(MediaKind::Photo, 5 * kMB, 12000000, 0)) >= 20s);
        QVERIFY(budget.forTask(MediaTask::Analysis, claim(MediaKind::Photo, 60 * kMB, 100000000, 0)) >= 60s);
        // 60 s of 4K at 30 fps decoded at 10 fps is 180 s, plus the AV1 encode of 300 small frames.
        QVERIFY(budget.forTask(MediaTask::Transcode, claim(MediaKind::Video, 375 * kMB, k4K, 60)) >= 400s);
    }

    void claimFromMetadata()
    {
        mt::MediaItem item;
        item.kind = MediaKind::Video;
        item.sizeBytes = 1234;
        QCOMPARE(MediaClaim::of(item).bytes, 1234LL);
        QCOMPARE(MediaClaim::of(item).pixels, 0LL);
        mt::MediaMetadata md;
        md.width = 1080;
        md.height = 1920;
        md.durationSeconds = 12.5;
        const MediaClaim c = MediaClaim::of(item, &md);
        QCOMPARE(c.kind, MediaKind::Video);
        QCOMPARE(c.pixels, 1080LL * 1920);
        QCOMPARE(c.durationSeconds, 12.5);
    }

    void scaleFromEnvironment_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<double>("expected");
        QTest::newRow("unset") << QByteArray() << 1.0;
        QTest::newRow("two") << QByteArray("2") << 2.0;
        QTest::newRow("tiny") << QByteArray("0.001") << 0.001;
        QTest::newRow("zero") << QByteArray("0") << 1.0;
        QTest::newRow("negative") << QByteArray("-3") << 1.0;
        QTest::newRow("text") << QByteArray("slow") << 1.0;
        QTest::newRow("infinite") << QByteArray("inf") << 1.0;
    }
    void scaleFromEnvironment()
    {
        QFETCH(QByteArray, value);
        QFETCH(double, expected);
        if (value.isNull())
            qunsetenv(MediaBudget::kScaleVariable);
        else
            qputenv(MediaBudget::kScaleVariable, value);
        QCOMPARE(MediaBudget::scaleFromEnvironment(), expected);
        QCOMPARE(MediaBudget().scale(), expected);
        qunsetenv(MediaBudget::kScaleVariable);
    }
};

QTEST_GUILESS_MAIN(TestMediaBudget)
#include "tst_media_budget.moc"
