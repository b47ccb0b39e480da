// HEIC thumbnails decoded tile by tile (HeifGridThumbnailer) against libheif's full decode, on
// real phone files and on grids written by tests/fixtures/make-heif-grid.py (transforms, 10-bit,
// odd sizes), plus damaged and hostile containers: an error or a fallback, never a crash.
#include "tst_thumb_support.h"

#include "common/HeifUtil.h"
#include "thumbs/HeifContainer.h"
#include "thumbs/HeifGridLayout.h"
#include "thumbs/HeifGridThumbnailer.h"
#include "thumbs/HeifThumbnailer.h"
#include "thumbs/ThumbnailSize.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <libheif/heif.h>

using namespace mt;
using namespace thumbtest;

namespace {

// libheif's full-resolution decode, shrunk the way Qt shrinks: the reference picture.
QImage libheifReference(const QString &path, QSize size)
{
    auto file = HeifFile::open(path);
    if (!file)
        return {};
    auto handle = (*file)->primaryImage();
    if (!handle)
        return {};
    heif_image *raw = nullptr;
    heif_decoding_options *options = heif_decoding_options_alloc();
    options->convert_hdr_to_8bit = 1;
    const heif_error err = heif_decode_image(handle->get(), &raw, heif_colorspace_RGB,
                                             heif_chroma_interleaved_RGB, options);
    heif_decoding_options_free(options);
    HeifImagePtr image(raw);
    if (err.code != heif_error_Ok)
        return {};
    int stride = 0;
    const uint8_t *pixels = heif_image_get_plane_readonly(raw, heif_channel_interleaved, &stride);
    const QImage full(pixels, heif_image_get_width(raw, heif_channel_interleaved),
                      heif_image_get_height(raw, heif_channel_interleaved), stride, QImage::Format_RGB888);
    return full.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB32);
}

QSize libheifDisplaySize(const QString &path)
{
    auto file = HeifFile::open(path);
    auto handle = file ? (*file)->primaryImage() : Result<HeifHandlePtr>(makeError(Error::Code::Corrupt, {}));
    if (!handle)
        return {};
    return QSize(heif_image_handle_get_width(handle->get()), heif_image_handle_get_height(handle->get()));
}

void compareWithLibheif(const QString &path, int maxEdge)
{
    auto ours = HeifGridThumbnailer::thumbnail(path, maxEdge, CancellationToken());
    QVERIFY2(ours, qPrintable(ours ? QString() : ours.error().message));
    QCOMPARE(ours->size(), fitWithin(libheifDisplaySize(path), maxEdge));
    const QImage reference = libheifReference(path, ours->size());
    QVERIFY(!reference.isNull());
    const QColor a = meanColour(*ours), b = meanColour(reference);
    QVERIFY2(near(a, b, 3), qPrintable(QStringLiteral("mean colour %1 vs libheif %2").arg(a.name(), b.name())));
    const int distance = hamming(dHash(*ours), dHash(reference));
    QVERIFY2(distance <= 4, qPrintable(QStringLiteral("hash distance %1").arg(distance)));
}

} // namespace

class TestHeifTiles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void realPhones_data();
    void realPhones();
    void generated_data();
    void generated();
    void thumbnailerUsesTiles();
    void damagedFiles_data();
    void damagedFiles();
    void hostileContainers_data();
    void hostileContainers();
    void truncatedEverywhere();

private:
    QString generate(const QString &name, const QStringList &args);
    QTemporaryDir m_dir;
    QString m_grid; // a small generated grid, the base for the hostile cases
};

QString TestHeifTiles::generate(const QString &name, const QStringList &args)
{
    const QString out = m_dir.filePath(name);
    QProcess p;
    p.start(QStringLiteral("python3"), QStringList{QStringLiteral(MT_SOURCE_DIR "/tests/fixtures/make-heif-grid.py"), out} + args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        qWarning("make-heif-grid.py failed: %s", p.readAllStandardError().constData());
    return QFile::exists(out) ? out : QString();
}

void TestHeifTiles::initTestCase()
{
    ensureHeifInitialised();
    QVERIFY(m_dir.isValid());
    for (const char *tool : {"python3", "ffmpeg"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QSKIP(qPrintable(QStringLiteral("%1 is needed to generate grid HEICs").arg(QLatin1String(tool))));
    m_grid = generate(QStringLiteral("grid.heic"), {QStringLiteral("600"), QStringLiteral("400"), QStringLiteral("--tile"), QStringLiteral("128")});
    QVERIFY(!m_grid.isEmpty());
}

void TestHeifTiles::realPhones_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("grid");
    QTest::newRow("iPhone 7") << "immich__IMG_2682.heic" << true;
    QTest::newRow("iPhone portrait (irot)") << "pillow_heif__arrow.heic" << true;
    QTest::newRow("Samsung One UI 6 motion photo") << "immich__samsung-one-ui-6.heic" << true;
    QTest::newRow("Xiaomi") << "pillow_heif__xiaomi.heic" << true;
}

void TestHeifTiles::realPhones()
{
    QFETCH(QString, file);
    QFETCH(bool, grid);
    const QString path = shared(file);
    if (!QFile::exists(path))
        QSKIP("the shared test media is not available");
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto container = HeifContainer::read(f);
    QVERIFY(container);
    QCOMPARE(container->item(container->primaryItemId())->type == "grid", grid);
    compareWithLibheif(path, 1024);
    compareWithLibheif(path, 256);
}

void TestHeifTiles::generated_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("maxEdge");
    const QStringList grid{"1000", "700", "--tile", "256"};
    QTest::newRow("grid, right and bottom tiles cropped") << "g.heic" << grid << 512;
    QTest::newRow("grid shrunk less than 2x") << "g.heic" << grid << 900;
    QTest::newRow("grid at full size") << "g.heic" << grid << 1024;
    QTest::newRow("irot 1 (90 ccw)") << "r1.heic" << grid + QStringList{"--irot", "1"} << 512;
    QTest::newRow("irot 3 + imir 0") << "r3m0.heic" << grid + QStringList{"--irot", "3", "--imir", "0"} << 512;
    QTest::newRow("imir 1") << "m1.heic" << grid + QStringList{"--imir", "1"} << 512;
    QTest::newRow("irot 2") << "r2.heic" << grid + QStringList{"--irot", "2"} << 300;
    QTest::newRow("clap") << "clap.heic" << grid + QStringList{"--clap", "800", "500"} << 400;
    QTest::newRow("clap + irot 1") << "clapr.heic" << grid + QStringList{"--clap", "800", "500", "--irot", "1"} << 400;
    QTest::newRow("10-bit grid") << "g10.heic" << grid + QStringList{"--ten-bit"} << 512;
    QTest::newRow("single hvc1 picture") << "single.heic" << QStringList{"640", "480", "--single"} << 256;
    QTest::newRow("single 10-bit rotated") << "single10.heic" << QStringList{"640", "480", "--single", "--ten-bit", "--irot", "1"} << 256;
}

void TestHeifTiles::generated()
{
    QFETCH(QString, name);
    QFETCH(QStringList, args);
    QFETCH(int, maxEdge);
    const QString path = QFile::exists(m_dir.filePath(name)) ? m_dir.filePath(name) : generate(name, args);
    QVERIFY(!path.isEmpty());
    compareWithLibheif(path, maxEdge);
}

void TestHeifTiles::thumbnailerUsesTiles()
{
    // Through the product's HEIF thumbnailer: the same picture as the tile path, at the size asked.
    auto viaThumbnailer = HeifThumbnailer().thumbnail(m_grid, 256, CancellationToken());
    auto viaTiles = HeifGridThumbnailer::thumbnail(m_grid, 256, CancellationToken());
    QVERIFY(viaThumbnailer && viaTiles);
    QCOMPARE(viaThumbnailer->size(), QSize(256, 171));
    QCOMPARE(viaThumbnailer->convertToFormat(QImage::Format_RGB32), viaTiles->convertToFormat(QImage::Format_RGB32));
}

void TestHeifTiles::damagedFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("pillow-heif truncated") << shared(QStringLiteral("pillow_heif__truncated.heic"));
    const QDir damaged(QStringLiteral(MT_SHARED_MEDIA_DIR "/../damaged"));
    for (const QString &name : damaged.entryList(QDir::Files))
        QTest::newRow(qPrintable(name)) << damaged.filePath(name);
}

void TestHeifTiles::damagedFiles()
{
    QFETCH(QString, path);
    if (!QFile::exists(path))
        QSKIP("the shared test media is not available");
    auto tiled = HeifGridThumbnailer::thumbnail(path, 256, CancellationToken());
    if (!tiled)
        QVERIFY(!tiled.error().message.isEmpty());
    auto product = HeifThumbnailer().thumbnail(path, 256, CancellationToken());
    if (!product)
        QVERIFY(!product.error().message.isEmpty());
    if (tiled)
        QVERIFY(!tiled->isNull());
}

// Each case patches the generated grid's bytes: find `marker`, write `value` at `offset` from it.
void TestHeifTiles::hostileContainers_data()
{
    QTest::addColumn<QByteArray>("marker");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("meta size past the file") << QByteArray("meta") << -4 << QByteArray("\x7f\xff\xff\xf0", 4);
    QTest::newRow("meta 64-bit size") << QByteArray("meta") << -4 << QByteArray("\x00\x00\x00\x01", 4);
    QTest::newRow("iloc size zero") << QByteArray("iloc") << -4 << QByteArray("\x00\x00\x00\x00", 4);
    QTest::newRow("iloc field sizes 3") << QByteArray("iloc") << 8 << QByteArray("\x33", 1);
    QTest::newRow("iloc huge item count") << QByteArray("iloc") << 10 << QByteArray("\xff\xff", 2);
    QTest::newRow("iloc extent past the end") << QByteArray("iloc") << 20 << QByteArray("\x7f\xff\xff\xff", 4);
    QTest::newRow("iloc construction method 1 without idat") << QByteArray("iloc") << 15 << QByteArray("\x01", 1);
    QTest::newRow("iloc construction method 2") << QByteArray("iloc") << 15 << QByteArray("\x02", 1);
    QTest::newRow("ipma property index 127") << QByteArray("ipma") << 15 << QByteArray("\xff", 1);
    QTest::newRow("ipma huge entry count") << QByteArray("ipma") << 8 << QByteArray("\x7f\xff\xff\xff", 4);
    QTest::newRow("iref huge count") << QByteArray("dimg") << 6 << QByteArray("\xff\xff", 2);
    QTest::newRow("ispe zero width") << QByteArray("ispe") << 8 << QByteArray("\x00\x00\x00\x00", 4);
    QTest::newRow("hvcC garbage") << QByteArray("hvcC") << 4 << QByteArray(40, '\xee');
    QTest::newRow("pitm names no item") << QByteArray("pitm") << 8 << QByteArray("\x12\x34", 2);
    QTest::newRow("iinf huge box") << QByteArray("iinf") << -4 << QByteArray("\x0f\xff\xff\xff", 4);
}

void TestHeifTiles::hostileContainers()
{
    QFETCH(QByteArray, marker);
    QFETCH(int, offset);
    QFETCH(QByteArray, value);
    QFile f(m_grid);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray bytes = f.readAll();
    const qsizetype at = bytes.indexOf(marker);
    QVERIFY(at >= 0 && at + offset + value.size() <= bytes.size());
    bytes.replace(at + offset, value.size(), value);
    const QString path = m_dir.filePath(QStringLiteral("hostile.heic"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(bytes);
    out.close();
    auto tiled = HeifGridThumbnailer::thumbnail(path, 256, CancellationToken());
    if (!tiled)
        QVERIFY2(!tiled.error().message.isEmpty(), "an error says what is wrong");
    else
        QCOMPARE(tiled->size(), QSize(256, 171)); // a patch that changed nothing that matters
    auto product = HeifThumbnailer().thumbnail(path, 256, CancellationToken());
    if (!product)
        QVERIFY(!product.error().message.isEmpty());
}

void TestHeifTiles::truncatedEverywhere()
{
    // The container parser alone on every prefix of the header: in-memory, fast, no crash.
    QFile f(m_grid);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const qsizetype headerEnd = bytes.indexOf("mdat") + 64;
    int parsed = 0;
    for (qsizetype n = 0; n < headerEnd; ++n) {
        QByteArray prefix = bytes.left(n);
        QBuffer buffer(&prefix);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        auto container = HeifContainer::read(buffer);
        if (!container)
            continue;
        ++parsed;
        auto plan = HeifGridLayout::plan(*container, buffer);
        Q_UNUSED(plan);
    }
    QVERIFY2(parsed < headerEnd / 2, "prefixes that cut into meta must be refused");
}

QTEST_GUILESS_MAIN(TestHeifTiles)
#include "tst_heif_tiles.moc"
