// Video signals and verdicts on clips made with the ffmpeg program: black, partly black, static,
// flat, short, moving; and sampling that reaches past sparse key frames.
#include "quality/OfflineJudge.h"
#include "quality/VideoSignals.h"
#include "thumbs/VideoThumbnailer.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace mt;
using namespace mt::quality;

class QualityVideoTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString make(const QString &name, const QStringList &inputArgs, const QStringList &extra = {})
    {
        const QString path = m_dir.filePath(name);
        QStringList args{QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-y")};
        args << inputArgs << extra
             << QStringList{QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-preset"),
                            QStringLiteral("ultrafast"), QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), path};
        QProcess p;
        p.start(QStringLiteral("ffmpeg"), args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            qWarning() << "ffmpeg failed:" << p.readAllStandardError();
        return path;
    }

    static QStringList lavfi(const QString &graph) { return {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"), graph}; }

    VideoSignals measure(const QString &path)
    {
        auto v = VideoSignalExtractor::measureFile(path);
        if (!v) {
            qWarning() << v.error().message;
            return {};
        }
        return *v;
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty())
            QSKIP("the ffmpeg program is needed to make the clips");
        QVERIFY(m_dir.isValid());
    }

    void blackClipIsDiscarded()
    {
        const VideoSignals v = measure(make(QStringLiteral("black.mp4"), lavfi(QStringLiteral("color=c=black:s=320x240:d=4:r=15"))));
        QCOMPARE(int(v.frames.size()), VideoSignalExtractor::kFrames);
        QCOMPARE(v.blackFrameRatio, 1.0);
        QVERIFY(std::abs(v.durationSeconds - 4.0) < 0.2);
        const LocalVerdict verdict = OfflineJudge().judgeVideo(v);
        QCOMPARE(verdict.verdict, VerdictKind::Discard);
        QCOMPARE(verdict.rule, QStringLiteral("black"));
    }

    void blackStartIsCountedButKept()
    {
        // 3 s black then 5 s of moving test pattern; one key frame every 250 frames, so sampling
        // must decode forward from the key frame rather than stop at it.
        const QString path = make(QStringLiteral("black-start.mp4"),
                                  lavfi(QStringLiteral("color=c=black:s=320x240:d=3:r=25[a];testsrc2=s=320x240:d=5:r=25[b];[a][b]concat=n=2:v=1")),
                                  {QStringLiteral("-g"), QStringLiteral("250")});
        const VideoSignals v = measure(path);
        QCOMPARE(int(v.frames.size()), VideoSignalExtractor::kFrames);
        QVERIFY2(std::abs(v.blackFrameRatio - 3.0 / 8.0) < 0.01, qPrintable(QString::number(v.blackFrameRatio)));
        QVERIFY(v.frameSeconds.back() > 6.0);
        QCOMPARE(OfflineJudge().judgeVideo(v).verdict, VerdictKind::Keep);
    }

    void staticAndMovingClips()
    {
        const VideoSignals still = measure(make(QStringLiteral("static.mp4"), lavfi(QStringLiteral("testsrc2=s=320x240:r=1,trim=end_frame=1,loop=loop=100:size=1,fps=25,trim=duration=4"))));
        const VideoSignals moving = measure(make(QStringLiteral("moving.mp4"), lavfi(QStringLiteral("testsrc2=s=320x240:d=4:r=25"))));
        QVERIFY2(still.motion < 0.005, qPrintable(QString::number(still.motion)));
        QVERIFY2(moving.motion > still.motion + 0.005, qPrintable(QString::number(moving.motion)));
        const LocalVerdict stillVerdict = OfflineJudge().judgeVideo(still);
        QCOMPARE(stillVerdict.verdict, VerdictKind::Keep); // static is not a fault by itself
        QVERIFY(stillVerdict.reason.contains(QLatin1String("hardly changes")));
        QCOMPARE(OfflineJudge().judgeVideo(moving).verdict, VerdictKind::Keep);
    }

    void flatClipIsPocketFootage()
    {
        const VideoSignals v = measure(make(QStringLiteral("flat.mp4"), lavfi(QStringLiteral("color=c=0x5a4a3a:s=320x240:d=4:r=15,noise=alls=3:allf=t"))));
        const LocalVerdict verdict = OfflineJudge().judgeVideo(v);
        QCOMPARE(verdict.verdict, VerdictKind::Discard);
        QCOMPARE(verdict.rule, QStringLiteral("uniform"));
    }

    void blurryThroughoutIsDiscarded()
    {
        const VideoSignals v = measure(make(QStringLiteral("blurry.mp4"), lavfi(QStringLiteral("testsrc2=s=320x240:d=4:r=25,gblur=sigma=10"))));
        const LocalVerdict verdict = OfflineJudge().judgeVideo(v);
        QVERIFY2(verdict.verdict == VerdictKind::Discard, qPrintable(verdict.reason));
        QCOMPARE(verdict.rule, QStringLiteral("blurry"));
    }

    void shortClipIsDiscarded()
    {
        const VideoSignals v = measure(make(QStringLiteral("short.mp4"), lavfi(QStringLiteral("testsrc2=s=320x240:d=1:r=25"))));
        const LocalVerdict verdict = OfflineJudge().judgeVideo(v);
        QCOMPARE(verdict.verdict, VerdictKind::Discard);
        QCOMPARE(verdict.rule, QStringLiteral("short"));
    }

    void unreadableClipIsAnError()
    {
        QFile f(m_dir.filePath(QStringLiteral("broken.mp4")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        QVERIFY(!VideoSignalExtractor::measureFile(f.fileName()).ok());
    }
};

QTEST_GUILESS_MAIN(QualityVideoTest)
#include "tst_quality_video.moc"
