#pragma once

// Shared set-up for the GUI suites: every suite runs with its own settings, caches, data (the
// trash) and no real keychain, so nothing leaks between runs or into the user's home.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QtGlobal>

namespace mt::guitest {

// Points the XDG directories into `root` before QApplication exists.
inline void isolateEnvironment(const QString &root)
{
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"}) {
        const QString dir = root + QLatin1Char('/') + QLatin1String(var);
        QDir().mkpath(dir);
        qputenv(var, QFile::encodeName(dir));
    }
    const QString runtime = root + QStringLiteral("/runtime");
    QDir().mkpath(runtime);
    QFile::setPermissions(runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime));
    qunsetenv("GEMINI_API_KEY");
    qunsetenv("GOOGLE_API_KEY");
}

inline bool writeImage(const QString &path, QSize size, QColor color)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    QPainter p(&image);
    p.setPen(Qt::white);
    p.drawText(image.rect(), Qt::AlignCenter, QFileInfo(path).fileName());
    p.end();
    return image.save(path);
}

inline bool copySamples(const QString &to)
{
    QDir samples(QStringLiteral(MT_SOURCE_DIR "/resources/samples"));
    bool ok = true;
    for (const QString &name : samples.entryList(QDir::Files))
        ok = QFile::copy(samples.filePath(name), to + QLatin1Char('/') + name) && ok;
    return ok;
}

} // namespace mt::guitest
