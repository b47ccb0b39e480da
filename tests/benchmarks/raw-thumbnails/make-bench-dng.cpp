// Writes one phone-like DNG for the RAW thumbnail benchmark (tests/benchmarks/raw-thumbnails):
// a 16-bit CFA (RGGB Bayer) or LinearRaw picture of a textured scene, with or without an embedded
// JPEG preview laid out as phones write it:
//   --preview subifd  IFD0 is a 256 px RGB thumbnail, SubIFD 1 the raw, SubIFD 2 a large JPEG
//                     preview (iPhone ProRAW's layout);
//   --preview ifd0    IFD0 is the large JPEG preview, its SubIFD the raw (Android camera apps);
//   --preview none    IFD0 is the raw: only a real decode gives a picture.
// The JPEG is a complete baseline stream in one strip (Compression 7), as cameras store it.
//
// Usage: make-bench-dng OUT.dng WIDTH HEIGHT cfa|linear none|ifd0|subifd [PREVIEW_LONG_EDGE] [SEED]
#include "TestDng.h"

#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

struct Spec {
    int width = 4032;
    int height = 3024;
    bool cfa = true;
    QByteArray preview = "subifd";
    int previewEdge = 0; // 0: the full picture size
    quint32 seed = 1;
};

// A scene with edges and texture so JPEG sizes and decode work look like a photo's.
QImage scene(int width, int height, quint32 seed)
{
    QImage image(width, height, QImage::Format_RGB888);
    QRandomGenerator rng(seed);
    image.fill(QColor::fromHsv(int(rng.bounded(360)), 90, 170));
    QPainter p(&image);
    for (int i = 0; i < 60; ++i) {
        p.setBrush(QColor::fromHsv(int(rng.bounded(360)), int(rng.bounded(256)), int(rng.bounded(256))));
        p.setPen(QPen(QColor::fromHsv(int(rng.bounded(360)), 200, 60), 1 + width / 800));
        const int w = int(rng.bounded(width / 3 + 1)) + 8, h = int(rng.bounded(height / 3 + 1)) + 8;
        p.drawEllipse(int(rng.bounded(width)) - w / 2, int(rng.bounded(height)) - h / 2, w, h);
    }
    p.end();
    // Sensor-like noise: a JPEG of a flat drawing would be unrealistically small.
    for (int y = 0; y < height; ++y) {
        uchar *line = image.scanLine(y);
        for (int x = 0; x < width * 3; ++x)
            line[x] = uchar(qBound(0, int(line[x]) + int(rng.bounded(17)) - 8, 255));
    }
    return image;
}

// sRGB 8-bit to linear 16-bit, so the raw data holds what the preview shows.
const std::vector<uint16_t> &toLinear()
{
    static const std::vector<uint16_t> table = [] {
        std::vector<uint16_t> t(256);
        for (int i = 0; i < 256; ++i) {
            const double s = i / 255.0;
            const double l = s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
            t[size_t(i)] = uint16_t(l * 60000);
        }
        return t;
    }();
    return table;
}

bool writeRaw(TIFF *tif, const Spec &spec, const QImage &picture)
{
    const uint32_t rowsPerStrip = 64;
    mt::test::writeRawIfdTags(tif, {.width = spec.width, .height = spec.height, .cfa = spec.cfa, .rowsPerStrip = rowsPerStrip,
                                    .cfaPlaneTags = true});
    const int samples = spec.cfa ? 1 : 3;
    const std::vector<uint16_t> &linear = toLinear();
    std::vector<uint16_t> strip(size_t(spec.width) * samples * rowsPerStrip);
    for (uint32_t s = 0; s * rowsPerStrip < uint32_t(spec.height); ++s) {
        const int rows = std::min<int>(int(rowsPerStrip), spec.height - int(s * rowsPerStrip));
        for (int r = 0; r < rows; ++r) {
            const int y = int(s * rowsPerStrip) + r;
            const uchar *src = picture.constScanLine(y);
            uint16_t *dst = strip.data() + size_t(r) * spec.width * samples;
            for (int x = 0; x < spec.width; ++x) {
                if (!spec.cfa) {
                    for (int c = 0; c < 3; ++c)
                        dst[x * 3 + c] = linear[src[x * 3 + c]];
                    continue;
                }
                dst[x] = linear[src[x * 3 + mt::test::rggbChannel(x, y)]];
            }
        }
        if (TIFFWriteEncodedStrip(tif, s, strip.data(), tmsize_t(size_t(rows) * spec.width * samples * 2)) < 0)
            return false;
    }
    return TIFFWriteDirectory(tif);
}

QByteArray jpeg(const QImage &image, int longEdge)
{
    const QImage scaled = longEdge > 0 ? image.scaled(longEdge, longEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation) : image;
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    scaled.save(&buffer, "JPEG", 90);
    return bytes;
}

// A reduced image IFD: a complete JPEG stream in one strip, or 8-bit RGB.
bool writePreview(TIFF *tif, const QImage &picture, int longEdge, bool asJpeg, int subIfds)
{
    const QImage small = picture.scaled(longEdge, longEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_REDUCEDIMAGE);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(small.width()));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(small.height()));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(8));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(3));
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(small.height()));
    if (subIfds > 0) {
        std::vector<uint64_t> offsets(size_t(subIfds), 0);
        TIFFSetField(tif, TIFFTAG_SUBIFD, uint16_t(subIfds), offsets.data());
        mt::test::writeDngCameraTags(tif, mt::test::DngSpec{});
    }
    if (asJpeg) {
        TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
        TIFFSetField(tif, TIFFTAG_COMPRESSION, uint16_t(7));
        const QByteArray bytes = jpeg(small, 0);
        return TIFFWriteRawStrip(tif, 0, const_cast<char *>(bytes.constData()), tmsize_t(bytes.size())) >= 0
            && TIFFWriteDirectory(tif);
    }
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    std::vector<uint8_t> rgb;
    for (int y = 0; y < small.height(); ++y)
        rgb.insert(rgb.end(), small.constScanLine(y), small.constScanLine(y) + small.width() * 3);
    return TIFFWriteEncodedStrip(tif, 0, rgb.data(), tmsize_t(rgb.size())) >= 0 && TIFFWriteDirectory(tif);
}

bool write(const char *path, const Spec &spec)
{
    const QImage picture = scene(spec.width, spec.height, spec.seed);
    TIFF *tif = TIFFOpen(path, spec.width * qint64(spec.height) * (spec.cfa ? 2 : 6) > (qint64(3) << 30) ? "w8" : "w");
    if (!tif)
        return false;
    const int edge = spec.previewEdge > 0 ? spec.previewEdge : std::max(spec.width, spec.height);
    bool ok = false;
    if (spec.preview == "subifd")
        ok = writePreview(tif, picture, 256, false, 2) && writeRaw(tif, spec, picture) && writePreview(tif, picture, edge, true, 0);
    else if (spec.preview == "ifd0")
        ok = writePreview(tif, picture, edge, true, 1) && writeRaw(tif, spec, picture);
    else {
        mt::test::writeDngCameraTags(tif, mt::test::DngSpec{});
        ok = writeRaw(tif, spec, picture);
    }
    TIFFClose(tif);
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s OUT.dng WIDTH HEIGHT cfa|linear none|ifd0|subifd [PREVIEW_LONG_EDGE] [SEED]\n", argv[0]);
        return 2;
    }
    Spec spec;
    spec.width = std::atoi(argv[2]);
    spec.height = std::atoi(argv[3]);
    spec.cfa = std::strcmp(argv[4], "cfa") == 0;
    spec.preview = argv[5];
    spec.previewEdge = argc > 6 ? std::atoi(argv[6]) : 0;
    spec.seed = argc > 7 ? quint32(std::atoi(argv[7])) : 1;
    if (spec.width < 16 || spec.height < 16 || (spec.preview != "none" && spec.preview != "ifd0" && spec.preview != "subifd")) {
        std::fprintf(stderr, "bad arguments\n");
        return 2;
    }
    if (!write(argv[1], spec)) {
        std::fprintf(stderr, "cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
