#pragma once
// Builders for the triage suites: small generated photos and the fixture videos, laid out the way
// a phone folder looks.

#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QString>

namespace mt::testing {

// A JPEG whose pixels depend on `seed`, so every call with another seed gives different bytes.
inline bool writePhoto(const QString &path, int seed, int width = 320, int height = 240)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor::fromHsv((seed * 37) % 360, 180, 200));
    QPainter painter(&image);
    painter.fillRect(seed % (width / 2), seed % (height / 2), width / 3, height / 3, QColor::fromHsv((seed * 91) % 360, 255, 120));
    painter.end();
    return image.save(path, "JPEG", 90);
}

inline bool copyFixture(const QString &name, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(QStringLiteral(MT_FIXTURE_DIR "/") + name, to);
}

} // namespace mt::testing
