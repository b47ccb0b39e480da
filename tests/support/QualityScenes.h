#pragma once

// Generated pictures for the quality suites and the quality benchmark: textured scenes with
// detail at every scale, and the variations and degradations a phone produces. Deterministic for
// a given seed. Degradation sizes are fractions of the picture's longest edge, so they mean the
// same thing at any resolution.
#include <QColor>
#include <QImage>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <vector>

namespace mt::test {

inline int clamp255(double v) { return std::clamp(int(std::lround(v)), 0, 255); }

// Adds Gaussian noise of `sigma` levels to every channel (sensor noise after the optics).
inline QImage withNoise(QImage image, double sigma, quint32 seed)
{
    image.convertTo(QImage::Format_RGB32);
    QRandomGenerator rng(seed);
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            // Box–Muller
            const double u1 = std::max(1e-12, rng.generateDouble()), u2 = rng.generateDouble();
            const double n = sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
            line[x] = qRgb(clamp255(qRed(line[x]) + n), clamp255(qGreen(line[x]) + n), clamp255(qBlue(line[x]) + n));
        }
    }
    return image;
}

// A scene with large shapes, edges, and fine multi-scale texture (like foliage, fabric, gravel).
inline QImage texturedScene(int width, int height, quint32 seed)
{
    QRandomGenerator rng(seed);
    QImage image(width, height, QImage::Format_RGB32);
    {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        QLinearGradient sky(0, 0, 0, height);
        sky.setColorAt(0, QColor::fromHsv(rng.bounded(360), 60 + rng.bounded(100), 150 + rng.bounded(100)));
        sky.setColorAt(1, QColor::fromHsv(rng.bounded(360), 60 + rng.bounded(150), 60 + rng.bounded(120)));
        p.fillRect(image.rect(), sky);
        const int shapes = 25 + rng.bounded(20);
        const double unit = std::max(width, height);
        for (int i = 0; i < shapes; ++i) {
            const QColor c = QColor::fromHsv(rng.bounded(360), rng.bounded(256), 30 + rng.bounded(226));
            p.setBrush(c);
            p.setPen(QPen(c.darker(130 + rng.bounded(100)), std::max(1.0, unit / 400.0)));
            const double cx = rng.bounded(width), cy = rng.bounded(height);
            const double w = unit * (0.03 + 0.2 * rng.generateDouble()), h = unit * (0.03 + 0.2 * rng.generateDouble());
            switch (rng.bounded(3)) {
            case 0: p.drawEllipse(QPointF(cx, cy), w / 2, h / 2); break;
            case 1: p.drawRect(QRectF(cx - w / 2, cy - h / 2, w, h)); break;
            default: {
                QPainterPath path(QPointF(cx, cy));
                for (int k = 0; k < 4; ++k)
                    path.lineTo(cx + (rng.generateDouble() - 0.5) * w * 2, cy + (rng.generateDouble() - 0.5) * h * 2);
                path.closeSubpath();
                p.drawPath(path);
            }
            }
        }
        // Thin lines: branches, wires, text strokes.
        for (int i = 0; i < 30; ++i) {
            p.setPen(QPen(QColor::fromHsv(rng.bounded(360), rng.bounded(200), rng.bounded(256)), std::max(1.0, unit / 800.0)));
            p.drawLine(QPointF(rng.bounded(width), rng.bounded(height)), QPointF(rng.bounded(width), rng.bounded(height)));
        }
    }
    // Multiplicative texture at three scales (value noise), so every region has fine detail.
    const int cells[] = {std::max(2, width / 400), std::max(4, width / 100), std::max(12, width / 30)};
    const double strength[] = {0.10, 0.07, 0.05};
    std::vector<float> texture(size_t(width) * size_t(height), 1.0f);
    for (int octave = 0; octave < 3; ++octave) {
        const int cell = cells[octave];
        const int gw = width / cell + 2, gh = height / cell + 2;
        std::vector<float> grid(size_t(gw) * size_t(gh));
        for (float &g : grid)
            g = float(rng.generateDouble() * 2 - 1);
        for (int y = 0; y < height; ++y) {
            const double fy = double(y) / cell;
            const int iy = int(fy);
            const double ty = fy - iy;
            for (int x = 0; x < width; ++x) {
                const double fx = double(x) / cell;
                const int ix = int(fx);
                const double tx = fx - ix;
                auto g = [&](int a, int b) { return grid[size_t(b) * size_t(gw) + size_t(a)]; };
                const double v = (g(ix, iy) * (1 - tx) + g(ix + 1, iy) * tx) * (1 - ty)
                    + (g(ix, iy + 1) * (1 - tx) + g(ix + 1, iy + 1) * tx) * ty;
                texture[size_t(y) * size_t(width) + size_t(x)] += float(strength[octave] * v);
            }
        }
    }
    for (int y = 0; y < height; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const double t = texture[size_t(y) * size_t(width) + size_t(x)];
            line[x] = qRgb(clamp255(qRed(line[x]) * t), clamp255(qGreen(line[x]) * t), clamp255(qBlue(line[x]) * t));
        }
    }
    return image;
}

// Separable running-box blur along x (dx=1) and/or y; three passes approximate a Gaussian.
inline QImage boxBlur(const QImage &source, int radiusX, int radiusY, int passes = 3)
{
    QImage image = source.convertToFormat(QImage::Format_RGB32);
    const int w = image.width(), h = image.height();
    std::vector<QRgb> line;
    auto blurLine = [&](auto get, auto set, int count, int radius) {
        if (radius <= 0)
            return;
        line.resize(size_t(count));
        for (int i = 0; i < count; ++i)
            line[size_t(i)] = get(i);
        long r = 0, g = 0, b = 0;
        auto add = [&](int i, int sign) {
            const QRgb p = line[size_t(std::clamp(i, 0, count - 1))];
            r += sign * qRed(p);
            g += sign * qGreen(p);
            b += sign * qBlue(p);
        };
        for (int i = -radius; i <= radius; ++i)
            add(i, 1);
        const int n = 2 * radius + 1;
        for (int i = 0; i < count; ++i) {
            set(i, qRgb(int(r / n), int(g / n), int(b / n)));
            add(i - radius, -1);
            add(i + radius + 1, 1);
        }
    };
    for (int pass = 0; pass < passes; ++pass) {
        for (int y = 0; y < h && radiusX > 0; ++y) {
            auto *row = reinterpret_cast<QRgb *>(image.scanLine(y));
            blurLine([&](int i) { return row[i]; }, [&](int i, QRgb v) { row[i] = v; }, w, radiusX);
        }
        for (int x = 0; x < w && radiusY > 0; ++x)
            blurLine([&](int i) { return reinterpret_cast<const QRgb *>(image.constScanLine(i))[x]; },
                     [&](int i, QRgb v) { reinterpret_cast<QRgb *>(image.scanLine(i))[x] = v; }, h, radiusY);
    }
    return image;
}

// Defocus of a given radius as a fraction of the longest edge.
inline QImage defocus(const QImage &image, double fraction)
{
    const int r = std::max(1, int(std::lround(fraction * std::max(image.width(), image.height()) / 1.7)));
    return boxBlur(image, r, r);
}

// Camera shake along one axis: a single long box (a streak), not a Gaussian.
inline QImage motionBlur(const QImage &image, double fraction, bool horizontal = true)
{
    const int r = std::max(1, int(std::lround(fraction * std::max(image.width(), image.height()) / 2)));
    return boxBlur(image, horizontal ? r : 0, horizontal ? 0 : r, 1);
}

inline double toLinear(double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); }
inline double toSrgb(double v) { return v <= 0.0031308 ? v * 12.92 : 1.055 * std::pow(v, 1 / 2.4) - 0.055; }

// Exposure change in stops, applied in linear light (what a camera does), clipped at white.
inline QImage exposure(const QImage &source, double ev)
{
    QImage image = source.convertToFormat(QImage::Format_RGB32);
    int lut[256];
    for (int i = 0; i < 256; ++i)
        lut[i] = clamp255(255.0 * toSrgb(std::min(1.0, toLinear(i / 255.0) * std::pow(2.0, ev))));
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x)
            line[x] = qRgb(lut[qRed(line[x])], lut[qGreen(line[x])], lut[qBlue(line[x])]);
    }
    return image;
}

// Tone curve `out = in^gamma` per channel; gamma > 1 darkens midtones and keeps white white.
inline QImage toneCurve(const QImage &source, double gamma, double scale = 1.0)
{
    QImage image = source.convertToFormat(QImage::Format_RGB32);
    int lut[256];
    for (int i = 0; i < 256; ++i)
        lut[i] = clamp255(255.0 * scale * std::pow(i / 255.0, gamma));
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x)
            line[x] = qRgb(lut[qRed(line[x])], lut[qGreen(line[x])], lut[qBlue(line[x])]);
    }
    return image;
}

// Low-key: dark midtones, highlights intact (a night street, a candle-lit table).
inline QImage lowKey(const QImage &image) { return toneCurve(image, 2.4); }
// High-key: bright, nothing clipped (a bright beach, a white-wall interior).
inline QImage highKey(const QImage &image) { return toneCurve(image, 0.4, 0.93); }

// Portrait mode: a sharp subject (an ellipse around the centre, ~20% of the frame) on a heavily
// blurred background.
inline QImage portraitMode(const QImage &image, double backgroundBlur = 0.03)
{
    QImage result = defocus(image, backgroundBlur);
    QPainter p(&result);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath subject;
    const double w = image.width(), h = image.height();
    subject.addEllipse(QPointF(w * 0.5, h * 0.55), w * 0.2, h * 0.32);
    p.setClipPath(subject);
    p.drawImage(0, 0, image);
    return result;
}

// Nothing in the frame: one colour, a soft gradient and fabric-fine grain (floor, pocket, ceiling).
inline QImage uniformFrame(int width, int height, QColor colour, quint32 seed)
{
    QImage image(width, height, QImage::Format_RGB32);
    QPainter p(&image);
    QLinearGradient g(0, 0, width, height);
    g.setColorAt(0, colour.lighter(112));
    g.setColorAt(1, colour.darker(112));
    p.fillRect(image.rect(), g);
    p.end();
    return withNoise(image, 1.5, seed);
}

inline QImage blackFrame(int width, int height, quint32 seed)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(qRgb(2, 2, 3));
    return withNoise(image, 1.0, seed);
}

} // namespace mt::test
