#pragma once

// Small linear DNGs written with libtiff, for tests that need a RAW file LibRaw really decodes.
// The raw data is LinearRaw RGB (no mosaic) with a colour matrix that makes camera RGB equal to
// linear sRGB, so what a test paints is what the decode shows.

#include <QImage>
#include <QString>

#include <tiffio.h>

#include <array>
#include <vector>

namespace mt::test {

struct DngSpec {
    int width = 96;
    int height = 64;
    int orientation = 1;
    // Left half and right half of the raw picture, 16-bit linear RGB.
    std::array<uint16_t, 3> left{40000, 0, 0};
    std::array<uint16_t, 3> right{0, 0, 40000};
    QImage preview;              // when set: IFD0 is this 8-bit RGB preview, the raw a SubIFD
    bool damagedPreview = false; // the preview IFD claims JPEG compression over plain RGB bytes
    bool cfa = false;            // an RGGB Bayer mosaic (one sample per pixel) instead of LinearRaw
};

inline void writeDngCameraTags(TIFF *tif, const DngSpec &spec)
{
    static const uint8_t version[4] = {1, 4, 0, 0}, backward[4] = {1, 1, 0, 0};
    TIFFSetField(tif, TIFFTAG_DNGVERSION, version);
    TIFFSetField(tif, TIFFTAG_DNGBACKWARDVERSION, backward);
    TIFFSetField(tif, TIFFTAG_MAKE, "MediaTriage");
    TIFFSetField(tif, TIFFTAG_MODEL, "Test DNG");
    TIFFSetField(tif, TIFFTAG_UNIQUECAMERAMODEL, "MediaTriage Test DNG");
    TIFFSetField(tif, TIFFTAG_ORIENTATION, uint16_t(spec.orientation));
    // XYZ (D65) → linear sRGB: camera RGB is sRGB.
    static const float xyzToCamera[9] = {3.2406f, -1.5372f, -0.4986f, -0.9689f, 1.8758f, 0.0415f, 0.0557f, -0.2040f, 1.0570f};
    static const float neutral[3] = {1, 1, 1};
    TIFFSetField(tif, TIFFTAG_COLORMATRIX1, 9, xyzToCamera);
    TIFFSetField(tif, TIFFTAG_ASSHOTNEUTRAL, 3, neutral);
    TIFFSetField(tif, TIFFTAG_CALIBRATIONILLUMINANT1, uint16_t(21)); // D65
}

// Which colour an RGGB Bayer sensor records at (x, y): 0 red, 1 green, 2 blue.
inline int rggbChannel(int x, int y)
{
    return y % 2 == 0 ? (x % 2 == 0 ? 0 : 1) : (x % 2 == 0 ? 1 : 2);
}

// The tags of a raw IFD: 16-bit, uncompressed, an RGGB mosaic (CFA) or LinearRaw RGB, white at 65535.
struct RawIfdLayout {
    int width = 0;
    int height = 0;
    bool cfa = false;
    uint32_t rowsPerStrip = 0;  // 0: one strip
    bool cfaPlaneTags = false;  // also CFAPlaneColor and CFALayout, as cameras write them
};

inline void writeRawIfdTags(TIFF *tif, const RawIfdLayout &layout)
{
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, 0);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(layout.width));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(layout.height));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(16));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(layout.cfa ? 1 : 3));
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    if (layout.cfa) {
        static const uint16_t dim[2] = {2, 2};
        static const uint8_t rggb[4] = {0, 1, 1, 2};
        TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, uint16_t(32803)); // CFA
        TIFFSetField(tif, TIFFTAG_CFAREPEATPATTERNDIM, dim);
        TIFFSetField(tif, TIFFTAG_CFAPATTERN, 4, rggb);
        if (layout.cfaPlaneTags) {
            static const uint8_t planeColor[3] = {0, 1, 2};
            TIFFSetField(tif, TIFFTAG_CFAPLANECOLOR, 3, planeColor);
            TIFFSetField(tif, TIFFTAG_CFALAYOUT, uint16_t(1));
        }
    } else {
        TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, uint16_t(34892)); // LinearRaw
    }
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, layout.rowsPerStrip > 0 ? layout.rowsPerStrip : uint32_t(layout.height));
    const uint32_t white = 65535;
    TIFFSetField(tif, TIFFTAG_WHITELEVEL, 1, &white);
}

inline bool writeRawIfd(TIFF *tif, const DngSpec &spec)
{
    writeRawIfdTags(tif, {.width = spec.width, .height = spec.height, .cfa = spec.cfa});
    const int samples = spec.cfa ? 1 : 3;
    std::vector<uint16_t> pixels(size_t(spec.width) * spec.height * samples);
    for (int y = 0; y < spec.height; ++y)
        for (int x = 0; x < spec.width; ++x)
            for (int c = 0; c < 3; ++c) {
                const uint16_t value = x < spec.width / 2 ? spec.left[size_t(c)] : spec.right[size_t(c)];
                if (!spec.cfa)
                    pixels[(size_t(y) * spec.width + x) * 3 + c] = value;
                else if (c == rggbChannel(x, y))
                    pixels[size_t(y) * spec.width + x] = value;
            }
    return TIFFWriteEncodedStrip(tif, 0, pixels.data(), tmsize_t(pixels.size() * 2)) >= 0 && TIFFWriteDirectory(tif);
}

inline bool writePreviewIfd(TIFF *tif, const DngSpec &spec)
{
    const QImage rgb = spec.preview.convertToFormat(QImage::Format_RGB888);
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_REDUCEDIMAGE);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(rgb.width()));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(rgb.height()));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(8));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(3));
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(rgb.height()));
    // A damaged preview: bytes that claim to be JPEG data and are not.
    TIFFSetField(tif, TIFFTAG_COMPRESSION, spec.damagedPreview ? COMPRESSION_JPEG : COMPRESSION_NONE);
    uint64_t subIfd = 0;
    TIFFSetField(tif, TIFFTAG_SUBIFD, 1, &subIfd);
    writeDngCameraTags(tif, spec);
    std::vector<uint8_t> bytes;
    for (int y = 0; y < rgb.height(); ++y)
        bytes.insert(bytes.end(), rgb.constScanLine(y), rgb.constScanLine(y) + rgb.width() * 3);
    const tmsize_t written = spec.damagedPreview ? TIFFWriteRawStrip(tif, 0, bytes.data(), tmsize_t(bytes.size()))
                                                 : TIFFWriteEncodedStrip(tif, 0, bytes.data(), tmsize_t(bytes.size()));
    return written >= 0 && TIFFWriteDirectory(tif);
}

// Writes the DNG; false when libtiff failed.
inline bool writeTestDng(const QString &path, const DngSpec &spec)
{
    TIFF *tif = TIFFOpen(path.toLocal8Bit().constData(), "w");
    if (!tif)
        return false;
    bool ok = false;
    if (spec.preview.isNull()) {
        writeDngCameraTags(tif, spec);
        ok = writeRawIfd(tif, spec);
    } else {
        ok = writePreviewIfd(tif, spec) && writeRawIfd(tif, spec);
    }
    TIFFClose(tif);
    return ok;
}

} // namespace mt::test
