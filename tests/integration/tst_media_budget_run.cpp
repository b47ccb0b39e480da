// A folder of healthy photos and clips with one damaged clip (made by the ffmpeg program, then
// its key frame index removed, so every seek lands on a frame that cannot be decoded and the
// decoder reads on through the whole clip). With the budgets scaled down through
// MT_MEDIA_BUDGET_SCALE, the damaged clip runs out of its budget in the offline analysis and in
// the thumbnail workers: it becomes that item's timeout error, every other file succeeds, and the
// run ends soon after the budget instead of after the clip.
#include "media/FolderScanner.h"
#include "media/MediaBudget.h"
#include "media/MediaType.h"
#include "metadata/MetadataReader.h"
#include "quality/QualityAnalyzer.h"
#include "thumbs/ThumbnailService.h"

#include <QElapsedTimer>
#include <QFile>
#include <QPainter>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;

namespace {

// Small enough that healthy files finish in a fraction of their budget on a loaded machine, large
// enough that the damaged clip needs several times its own.
constexpr const char *kScale = "0.02";
const QString kTimeoutMessage = QStringLiteral("took too long to decode — the file may be damaged");

bool runFfmpeg(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("ffmpeg"), QStringList{"-nostdin", "-hide_banner", "-loglevel", "error", "-y"} + args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning() << "ffmpeg failed:" << p.readAllStandardError();
        return false;
    }
    return true;
}

// Renames the MP4 sync-sample box: without it every sample counts as a key frame, so seeks land
// on frames that need a reference the decoder never saw.
bool dropKeyFrameIndex(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return false;
    QByteArray bytes = file.readAll();
    const qsizetype at = bytes.indexOf("stss");
    if (at < 0)
        return false;
    bytes.replace(at, 4, "free");
    return file.seek(0) && file.write(bytes) == bytes.size();
}

QImage photo(int hue)
{
    QImage image(800, 600, QImage::Format_RGB32);
    QPainter painter(&image);
    QLinearGradient gradient(0, 0, 800, 600);
    gradient.setColorAt(0, QColor::fromHsv(hue, 200, 230));
    gradient.setColorAt(1, QColor::fromHsv((hue + 120) % 360, 200, 90));
    painter.fillRect(image.rect(), gradient);
    painter.setPen(QPen(Qt::white, 3));
    for (int i = 0; i < 40; ++i)
        painter.drawLine(i * 20, 0, 800 - i * 20, 600);
    return image;
}

} // namespace

class TestMediaBudgetRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_media;
    QString m_damaged;
    int m_files = 0;

    qint64 budgetMs(MediaTask task) const
    {
        const MediaItem item = inspectFile(m_damaged);
        const auto metadata = readMetadata(item);
        return MediaBudget().forTask(task, MediaClaim::of(item, metadata ? &*metadata : nullptr)).count();
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty())
            QSKIP("the ffmpeg program is needed to make the clips");
        QVERIFY(m_dir.isValid());
        m_media = m_dir.filePath(QStringLiteral("media"));
        QVERIFY(QDir().mkpath(m_media));
        QVERIFY(photo(10).save(m_media + QStringLiteral("/beach.jpg"), "JPEG", 90));
        QVERIFY(photo(130).save(m_media + QStringLiteral("/forest.jpg"), "JPEG", 90));
        QVERIFY(photo(250).save(m_media + QStringLiteral("/sky.png"), "PNG"));
        QVERIFY(runFfmpeg({"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=3", "-c:v", "libx264",
                           "-preset", "ultrafast", "-pix_fmt", "yuv420p", m_media + QStringLiteral("/walk.mp4")}));
        // One key frame for a minute of 960x540: decoding forward from it is the only way in.
        m_damaged = m_media + QStringLiteral("/damaged.mp4");
        QVERIFY(runFfmpeg({"-f", "lavfi", "-i", "testsrc2=size=960x540:rate=30:duration=60", "-c:v", "libx264",
                           "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "100000", "-x264-params", "scenecut=0",
                           m_damaged}));
        QVERIFY(dropKeyFrameIndex(m_damaged));
        m_files = 5;
        qputenv(MediaBudget::kScaleVariable, kScale);
    }

    void cleanupTestCase() { qunsetenv(MediaBudget::kScaleVariable); }

    void analysisStopsOnlyTheDamagedClip()
    {
        const std::vector<MediaItem> items = FolderScanner().scanFolder(m_media);
        QCOMPARE(int(items.size()), m_files);
        const qint64 budget = budgetMs(MediaTask::Analysis);
        QElapsedTimer timer;
        timer.start();
        const auto results = quality::QualityAnalyzer::analyze(items);
        const qint64 elapsed = timer.elapsed();
        qInfo("analysis of %d files: %lld ms; the damaged clip's budget: %lld ms", m_files, elapsed, budget);
        for (const quality::ItemAnalysis &a : results) {
            if (a.item.path == m_damaged) {
                QVERIFY2(a.error, "the damaged clip was analysed to the end");
                QCOMPARE(a.error->code, Error::Code::Timeout);
                QCOMPARE(a.error->message, kTimeoutMessage);
                QCOMPARE(a.verdict.verdict, VerdictKind::Error);
            } else {
                QVERIFY2(!a.error, qPrintable(a.item.fileName + QStringLiteral(": ") + (a.error ? a.error->message : QString())));
                QVERIFY(a.verdict.verdict != VerdictKind::Error);
            }
        }
        // The probe, the budget and the healthy files' work, not the clip's whole decode.
        QVERIFY2(elapsed < budget + 2500, qPrintable(QStringLiteral("%1 ms for a %2 ms budget").arg(elapsed).arg(budget)));
    }

    void thumbnailsStopOnlyTheDamagedClip()
    {
        ThumbnailService service(ThumbnailProvider(ThumbnailCache(m_dir.filePath(QStringLiteral("cache")))), {2});
        QSignalSpy ready(&service, &ThumbnailService::thumbnailReady);
        QSignalSpy failed(&service, &ThumbnailService::thumbnailFailed);
        const qint64 budget = budgetMs(MediaTask::Thumbnail);
        QElapsedTimer timer;
        timer.start();
        for (const MediaItem &item : FolderScanner().scanFolder(m_media))
            service.request(item.path, 256);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count() + failed.count(), m_files, 30000);
        const qint64 elapsed = timer.elapsed();
        qInfo("thumbnails of %d files: %lld ms; the damaged clip's budget: %lld ms", m_files, elapsed, budget);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed[0][0].toString(), m_damaged);
        QCOMPARE(failed[0][2].toString(), kTimeoutMessage);
        for (const QList<QVariant> &r : ready)
            QVERIFY(!r[2].value<QImage>().isNull());
        QVERIFY2(elapsed < budget + 2500, qPrintable(QStringLiteral("%1 ms for a %2 ms budget").arg(elapsed).arg(budget)));
        // A budget can run out under load too: the failure is not remembered, a later look retries.
        const auto source = SourceFile::stat(m_damaged);
        QVERIFY(source);
        QVERIFY(!ThumbnailCache(m_dir.filePath(QStringLiteral("cache"))).failure(*source));
    }

    // At the default scale the same clip gets its thumbnail (the frame at the start): budgets are
    // a hang guard, not a speed limit. It also shows the cut above was real: the whole job takes
    // longer than the scaled budget.
    void defaultBudgetLetsTheClipFinish()
    {
        const qint64 scaledBudget = budgetMs(MediaTask::Thumbnail);
        qunsetenv(MediaBudget::kScaleVariable);
        QElapsedTimer timer;
        timer.start();
        const auto thumb = ThumbnailProvider(ThumbnailCache(m_dir.filePath(QStringLiteral("cache-full")))).get(m_damaged, 256);
        const qint64 elapsed = timer.elapsed();
        qputenv(MediaBudget::kScaleVariable, kScale);
        qInfo("the damaged clip's thumbnail at the default budget: %lld ms", elapsed);
        QVERIFY2(thumb.ok(), qPrintable(thumb ? QString() : thumb.error().message));
        QVERIFY2(elapsed > scaledBudget, qPrintable(QStringLiteral("%1 ms, scaled budget %2 ms").arg(elapsed).arg(scaledBudget)));
    }
};

QTEST_GUILESS_MAIN(TestMediaBudgetRun)
#include "tst_media_budget_run.moc"
