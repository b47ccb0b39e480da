#pragma once

// Shared checks for the thumbnail suites: colour sampling, mean colour, a coarse perceptual
// hash, and the fixture folders.

#include <QColor>
#include <QImage>
#include <QString>
#include <QtGlobal>

#include <bitset>
#include <cmath>

namespace thumbtest {

inline QString fixture(const QString &name) { return QStringLiteral(MT_THUMB_FIXTURE_DIR "/") + name; }
inline QString shared(const QString &name) { return QStringLiteral(MT_SHARED_MEDIA_DIR "/") + name; }

// Average colour of a small block around a relative position (0..1), robust to compression.
inline QColor sample(const QImage &image, double fx, double fy)
{
    const int cx = int(fx * image.width()), cy = int(fy * image.height());
    const int r = std::max(1, std::min(image.width(), image.height()) / 16);
    long sr = 0, sg = 0, sb = 0, n = 0;
    for (int y = std::max(0, cy - r); y <= std::min(image.height() - 1, cy + r); ++y)
        for (int x = std::max(0, cx - r); x <= std::min(image.width() - 1, cx + r); ++x) {
            const QRgb p = image.pixel(x, y);
            sr += qRed(p), sg += qGreen(p), sb += qBlue(p), ++n;
        }
    return QColor(int(sr / n), int(sg / n), int(sb / n));
}

inline bool near(const QColor &a, const QColor &b, int tolerance)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

// The fixtures' reference picture shown upright: red | green over blue | yellow. Returns an
// empty string when it matches, else what was seen (for the failure message).
inline QString quadMismatch(const QImage &image, int tolerance = 60)
{
    const struct { double x, y; QColor want; const char *name; } spots[] = {
        {0.25, 0.25, QColor(255, 0, 0), "top left red"},
        {0.75, 0.25, QColor(0, 255, 0), "top right green"},
        {0.25, 0.75, QColor(0, 0, 255), "bottom left blue"},
        {0.75, 0.75, QColor(255, 255, 0), "bottom right yellow"},
    };
    QString seen;
    bool ok = true;
    for (const auto &s : spots) {
        const QColor c = sample(image, s.x, s.y);
        seen += QStringLiteral("%1: %2; ").arg(QLatin1String(s.name), c.name());
        ok = ok && near(c, s.want, tolerance);
    }
    return ok ? QString() : seen;
}

inline QColor meanColour(const QImage &image)
{
    double r = 0, g = 0, b = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            r += qRed(p), g += qGreen(p), b += qBlue(p);
        }
    const double n = double(image.width()) * image.height();
    return QColor(int(r / n), int(g / n), int(b / n));
}

// Difference hash: 9×8 grey thumbnail, one bit per horizontal neighbour comparison. Pictures
// that look alike differ in few bits; a rotated or mirrored one in about half.
inline quint64 dHash(const QImage &image)
{
    const QImage small = image.convertToFormat(QImage::Format_RGB32)
                             .scaled(9, 8, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                             .convertToFormat(QImage::Format_Grayscale8);
    quint64 hash = 0;
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            hash = (hash << 1) | (qGray(small.pixel(x, y)) > qGray(small.pixel(x + 1, y)) ? 1u : 0u);
    return hash;
}

inline int hamming(quint64 a, quint64 b) { return int(std::bitset<64>(a ^ b).count()); }

} // namespace thumbtest
