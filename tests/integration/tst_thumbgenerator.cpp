#include "thumbs/HeifThumbnailer.h"
#include "thumbs/ThumbnailGenerator.h"
#include "thumbs/ThumbnailSize.h"
#include "thumbs/VideoThumbnailer.h"

#include "tst_thumb_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImageReader>
#include <QTest>

using mt::Error;
using mt::ThumbnailGenerator;
using namespace thumbtest;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(Error::Code)

class TestThumbnailGenerator : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(fixture("quad.png")), "thumb fixtures missing: run ctest (make_thumb_fixtures)");
        QVERIFY2(QFile::exists(shared("expected.tsv")), "shared test media missing");
    }

    // Every fixture holds the same picture, stored sideways, upside down, in video, HEIF, ...;
    // each thumbnail must show it upright at 256×192.
    void upright_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("tolerance");
        QTest::newRow("jpeg exif 1") << "orient-1.jpg" << 40;
        QTest::newRow("jpeg exif 3") << "orient-3.jpg" << 40;
        QTest::newRow("jpeg exif 6") << "orient-6.jpg" << 40;
        QTest::newRow("jpeg exif 8") << "orient-8.jpg" << 40;
        QTest::newRow("video rotated 90 cw") << "rotated-cw90.mp4" << 40;
        QTest::newRow("video rotated 270 cw") << "rotated-cw270.mp4" << 40;
        QTest::newRow("1.2 s portrait hevc live photo") << "live.mov" << 40;
        QTest::newRow("10-bit hdr hevc") << "hevc10-hdr.mov" << 70;
        QTest::newRow("variable frame rate") << "vfr.mp4" << 40;
        QTest::newRow("no key frame near 10%") << "longgop.mp4" << 40;
        QTest::newRow("black first seconds") << "blackstart.mp4" << 40;
        QTest::newRow("heic with thumbnail item") << "quad.heic" << 40;
        QTest::newRow("webp") << "quad.webp" << 40;
        QTest::newRow("16-bit png") << "png16.png" << 10;
        QTest::newRow("cmyk jpeg") << "cmyk.jpg" << 50;
        QTest::newRow("png named .jpg") << "png-named.jpg" << 10;
        QTest::newRow("jpeg exif 6 named .heic") << "jpeg-named.heic" << 40;
        QTest::newRow("mp4 named .jpg") << "video-named.jpg" << 40;
    }
    void upright()
    {
        QFETCH(QString, file);
        QFETCH(int, tolerance);
        const auto thumb = ThumbnailGenerator::generate(fixture(file), 256);
        QVERIFY2(thumb.ok(), qPrintable(thumb.ok() ? QString() : thumb.error().message));
        QCOMPARE(thumb->size(), QSize(256, 192));
        const QString mismatch = quadMismatch(*thumb, tolerance);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    // Real camera files: the displayed size from expected.tsv, fitted into 256, or a clear error
    // for the ones whose pixels cannot be decoded.
    void realFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QSize>("displayed");
        QTest::addColumn<bool>("decodes");
        QFile tsv(shared("expected.tsv"));
        QVERIFY(tsv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList header = QString::fromUtf8(tsv.readLine()).trimmed().split(u'\t');
        const auto col = [&](const char *name) { return header.indexOf(QLatin1String(name)); };
        while (!tsv.atEnd()) {
            const QStringList f = QString::fromUtf8(tsv.readLine()).split(u'\t');
            if (f.size() < header.size() - 1)
                continue;
            QTest::newRow(qPrintable(f[col("file")])) << f[col("file")]
                                                      << QSize(f[col("width")].toInt(), f[col("height")].toInt())
                                                      << (f[col("decodes")] == QLatin1String("yes"));
        }
    }
    void realFiles()
    {
        QFETCH(QString, file);
        QFETCH(QSize, displayed);
        QFETCH(bool, decodes);
        mt::CancellationToken token;
        token.setTimeout(20s);
        const auto thumb = ThumbnailGenerator::generate(shared(file), 256, token);
        if (!decodes) {
            QVERIFY(!thumb.ok());
            QVERIFY(thumb.error().code == Error::Code::Corrupt);
            QVERIFY(!thumb.error().message.trimmed().isEmpty());
            QVERIFY2(!thumb.error().message.contains(u'\n'), qPrintable(thumb.error().message));
            return;
        }
        QVERIFY2(thumb.ok(), qPrintable(thumb.ok() ? QString() : thumb.error().message));
        const QSize want = mt::fitWithin(displayed, 256);
        QVERIFY2(std::abs(thumb->width() - want.width()) <= 1 && std::abs(thumb->height() - want.height()) <= 1,
                 qPrintable(QStringLiteral("got %1×%2, want %3×%4").arg(thumb->width()).arg(thumb->height())
                                .arg(want.width()).arg(want.height())));
    }

    // pillow_heif's arrow.heic (iPhone 8 Plus: irot 270 + EXIF Orientation 6) shows an arrow
    // pointing up only if irot is applied exactly once. The tip is a single point at the top of
    // the drawing; the shaft's flat end at the bottom is wide.
    void heicArrowPointsUp()
    {
        const auto thumb = ThumbnailGenerator::generate(shared("pillow_heif__arrow.heic"), 256);
        QVERIFY(thumb.ok());
        QCOMPARE(thumb->size(), QSize(192, 256));
        const QImage grey = thumb->convertToFormat(QImage::Format_Grayscale8);
        const auto isInk = [&](int x, int y) { return qGray(grey.pixel(x, y)) < 70; };
        const auto rowHasInk = [&](int y) {
            for (int x = 0; x < grey.width(); ++x)
                if (isInk(x, y))
                    return true;
            return false;
        };
        int top = 0, bottom = grey.height() - 1;
        while (top < bottom && !rowHasInk(top))
            ++top;
        while (bottom > top && !rowHasInk(bottom))
            --bottom;
        QVERIFY2(bottom - top > grey.height() / 2, "no arrow found");
        // Horizontal extent of the ink in a band of rows.
        const auto span = [&](int from, int to) {
            int lo = grey.width(), hi = -1;
            for (int y = from; y <= to; ++y)
                for (int x = 0; x < grey.width(); ++x)
                    if (isInk(x, y))
                        lo = std::min(lo, x), hi = std::max(hi, x);
            return hi - lo;
        };
        const int band = std::max(2, (bottom - top) / 20);
        const int tipWidth = span(top, top + band), baseWidth = span(bottom - band, bottom);
        QVERIFY2(baseWidth > 2 * tipWidth, qPrintable(QStringLiteral("ink width at top %1, at bottom %2").arg(tipWidth).arg(baseWidth)));
    }

    void sizes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("size");
        QTest::addColumn<QSize>("expected");
        QTest::newRow("heic 128 (thumbnail item)") << shared("immich__IMG_2682.heic") << 128 << QSize(128, 96);
        QTest::newRow("heic 512 (primary grid)") << shared("immich__IMG_2682.heic") << 512 << QSize(512, 384);
        QTest::newRow("heic 1024") << shared("immich__IMG_2682.heic") << 1024 << QSize(1024, 768);
        QTest::newRow("jpeg 128") << fixture("orient-6.jpg") << 128 << QSize(128, 96);
        QTest::newRow("jpeg 1024 from 640 never upscaled") << fixture("orient-6.jpg") << 1024 << QSize(640, 480);
        QTest::newRow("8x8 jpeg stays 8x8") << shared("exiftool__Apple.jpg") << 1024 << QSize(8, 8);
        QTest::newRow("120x80 at 256") << shared("exiftool__GPS.jpg") << 256 << QSize(120, 80);
        QTest::newRow("320x240 png at 512") << fixture("quad-small.png") << 512 << QSize(320, 240);
        QTest::newRow("320x240 video at 1024") << fixture("longgop.mp4") << 1024 << QSize(320, 240);
        QTest::newRow("gif first frame") << fixture("anim.gif") << 1024 << QSize(200, 150);
        QTest::newRow("100 MP jpeg") << fixture("huge.jpg") << 256 << QSize(256, 256);
    }
    void sizes()
    {
        QFETCH(QString, file);
        QFETCH(int, size);
        QFETCH(QSize, expected);
        const auto thumb = ThumbnailGenerator::generate(file, size);
        QVERIFY2(thumb.ok(), qPrintable(thumb.ok() ? QString() : thumb.error().message));
        QCOMPARE(thumb->size(), expected);
    }

    void gifFirstFrame()
    {
        const auto thumb = ThumbnailGenerator::generate(fixture("anim.gif"), 128);
        QVERIFY(thumb.ok());
        QVERIFY(near(sample(*thumb, 0.5, 0.5), QColor(255, 0, 0), 10));
    }

    // Bad input yields a per-file error of the right kind (or, where noted, a thumbnail), fast.
    void badInput_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("succeeds");
        QTest::addColumn<Error::Code>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("zero-byte jpeg") << fixture("zero.jpg") << false << Error::Code::Empty << "empty";
        QTest::newRow("zero-byte heic") << fixture("zero.heic") << false << Error::Code::Empty << "empty";
        QTest::newRow("zero-byte mp4") << fixture("zero.mp4") << false << Error::Code::Empty << "empty";
        QTest::newRow("text named heic") << fixture("text.heic") << false << Error::Code::UnsupportedFormat << "not a HEIC";
        QTest::newRow("mp4 cut before moov") << fixture("truncated-nomoov.mp4") << false << Error::Code::Corrupt << "damaged";
        QTest::newRow("truncated heic") << shared("pillow_heif__truncated.heic") << false << Error::Code::Corrupt << "HEIF";
        QTest::newRow("mp4 without frames") << shared("jcodec__keyed.mp4") << false << Error::Code::Corrupt << "no decodable frames";
        QTest::newRow("missing file") << fixture("no-such-file.jpg") << false << Error::Code::NotFound << "not found";
        // Viewers show the decoded part of a truncated JPEG (grey below); so does the thumbnail.
        QTest::newRow("truncated jpeg") << fixture("truncated.jpg") << true << Error::Code::Internal << "";
        QTest::newRow("faststart mp4 cut at 60%") << fixture("truncated-faststart.mp4") << true << Error::Code::Internal << "";
        QTest::newRow("100 MP png") << fixture("huge.png") << true << Error::Code::Internal << "";
    }
    void badInput()
    {
        QFETCH(QString, file);
        QFETCH(bool, succeeds);
        QFETCH(Error::Code, code);
        QFETCH(QString, messagePart);
        mt::CancellationToken token;
        token.setTimeout(30s);
        QElapsedTimer timer;
        timer.start();
        const auto thumb = ThumbnailGenerator::generate(file, 256, token);
        QVERIFY2(timer.elapsed() < 20000, "far too slow for one file");
        if (succeeds) {
            QVERIFY2(thumb.ok(), qPrintable(thumb.ok() ? QString() : thumb.error().message));
            QVERIFY(std::max(thumb->width(), thumb->height()) == 256);
            return;
        }
        QVERIFY(!thumb.ok());
        QCOMPARE(thumb.error().code, code);
        QVERIFY2(thumb.error().message.contains(messagePart, Qt::CaseInsensitive), qPrintable(thumb.error().message));
    }

    // The per-file time limit stops even a decoder in the middle of a 100 MP image.
    void timeLimitStopsHugeImage()
    {
        mt::CancellationToken token;
        token.setTimeout(150ms);
        QElapsedTimer timer;
        timer.start();
        const auto thumb = ThumbnailGenerator::generate(fixture("huge.png"), 256, token);
        QVERIFY(!thumb.ok());
        QCOMPARE(thumb.error().code, Error::Code::Timeout);
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    }

    void cancelledTokenStopsEveryKind_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("jpeg") << fixture("huge.jpg");
        QTest::newRow("heic") << shared("immich__IMG_2682.heic");
        QTest::newRow("video") << fixture("longgop.mp4");
    }
    void cancelledTokenStopsEveryKind()
    {
        QFETCH(QString, file);
        mt::CancellationToken token;
        token.cancel();
        const auto thumb = ThumbnailGenerator::generate(file, 256, token);
        QVERIFY(!thumb.ok());
        QCOMPARE(thumb.error().code, Error::Code::Cancelled);
    }

    void videoSkipsBlackFrames()
    {
        const auto thumb = ThumbnailGenerator::generate(fixture("blackstart.mp4"), 128);
        QVERIFY(thumb.ok());
        QVERIFY(!mt::VideoThumbnailer::looksEmpty(*thumb));
    }

    // A clip that is black throughout still gets its (black) thumbnail, not an error.
    void allBlackVideoStillHasThumbnail()
    {
        const auto thumb = ThumbnailGenerator::generate(fixture("allblack.mp4"), 128);
        QVERIFY(thumb.ok());
        QCOMPARE(thumb->size(), QSize(128, 96));
        QVERIFY(mt::VideoThumbnailer::looksEmpty(*thumb));
    }

    void looksEmpty()
    {
        QImage img(64, 48, QImage::Format_RGB32);
        img.fill(QColor(5, 5, 5));
        QVERIFY(mt::VideoThumbnailer::looksEmpty(img));
        img.fill(QColor(128, 128, 128)); // flat grey: uniform
        QVERIFY(mt::VideoThumbnailer::looksEmpty(img));
        QVERIFY(!mt::VideoThumbnailer::looksEmpty(QImage(fixture("quad.png")).convertToFormat(QImage::Format_RGB32)));
    }

    // Golden check: the fast path (scaled JPEG decode, HEIC thumbnail item) looks like a full
    // decode of the original scaled down with a plain smooth scale.
    void lookslikeFullDecode_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("asymmetric"); // a quarter turn changes how it looks
        QTest::newRow("jpeg exif 6") << shared("immich__portrait-orientation-6.jpg") << true;
        QTest::newRow("jpeg exif 8") << shared("exif-samples__landscape_8.jpg") << true;
        QTest::newRow("heic iphone 7 grid") << shared("immich__IMG_2682.heic") << true;
        QTest::newRow("heic iphone 8 irot") << shared("pillow_heif__arrow.heic") << true;
        QTest::newRow("heic samsung irot (a round blob)") << shared("immich__samsung-one-ui-6.heic") << false;
        QTest::newRow("heic xiaomi grid") << shared("pillow_heif__xiaomi.heic") << true;
    }
    void lookslikeFullDecode()
    {
        QFETCH(QString, file);
        QFETCH(bool, asymmetric);
        const auto thumb = ThumbnailGenerator::generate(file, 256);
        QVERIFY(thumb.ok());
        QImage full;
        if (file.endsWith(QLatin1String(".heic"))) {
            // Far above the embedded thumbnail's size: forces the primary image's full decode.
            auto primary = mt::HeifThumbnailer().thumbnail(file, 100000, {});
            QVERIFY(primary.ok());
            full = *primary;
        } else {
            QImageReader reader(file);
            reader.setAutoTransform(true);
            full = reader.read();
        }
        QVERIFY(!full.isNull());
        QVERIFY(std::max(full.width(), full.height()) > 256);
        const QImage reference = full.scaled(thumb->size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        const QColor a = meanColour(*thumb), b = meanColour(reference);
        QVERIFY2(near(a, b, 6), qPrintable(a.name() + QStringLiteral(" vs ") + b.name()));
        const int distance = hamming(dHash(*thumb), dHash(reference));
        QVERIFY2(distance <= 8, qPrintable(QStringLiteral("hash distance %1").arg(distance)));
        // And the check has teeth: the same picture turned a quarter differs a lot.
        if (asymmetric) {
            const QImage turned = reference.transformed(QTransform().rotate(90)).scaled(reference.size());
            QVERIFY(hamming(dHash(*thumb), dHash(turned)) > distance + 8);
        }
    }

    void invalidSize()
    {
        const auto thumb = ThumbnailGenerator::generate(fixture("quad.png"), 0);
        QVERIFY(!thumb.ok());
        QCOMPARE(thumb.error().code, Error::Code::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestThumbnailGenerator)
#include "tst_thumbgenerator.moc"
