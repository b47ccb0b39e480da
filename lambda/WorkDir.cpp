#include "lambda/WorkDir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace mt::lambda {

namespace {

const QString kMarker = QStringLiteral(".mediatriage-work");

// Request ids are UUIDs from Lambda; anything else (local runs) is reduced to a safe name.
QString safeName(const QByteArray &id)
{
    QString out;
    for (const char c : id)
        out += (QChar::isLetterOrNumber(uchar(c)) && uchar(c) < 128) || c == '-' || c == '_' ? QChar(c) : QChar(u'_');
    return out.isEmpty() ? QStringLiteral("invocation") : out.left(100);
}

} // namespace

WorkDir::WorkDir(const QByteArray &requestId)
    : m_path(QDir(QDir::tempPath()).filePath(safeName(requestId)))
{
    QDir(m_path).removeRecursively(); // a previous run killed before its cleanup
    m_ok = QDir().mkpath(m_path);
    QFile marker(QDir(m_path).filePath(kMarker));
    m_ok = m_ok && marker.open(QIODevice::WriteOnly);
}

int WorkDir::removeStale()
{
    int removed = 0;
    const QDir tmp(QDir::tempPath());
    for (const QString &name : tmp.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        QDir dir(tmp.filePath(name));
        if (QFileInfo(dir.filePath(kMarker)).isFile() && dir.removeRecursively())
            ++removed;
    }
    return removed;
}

WorkDir::~WorkDir() { QDir(m_path).removeRecursively(); }

QString WorkDir::fileFor(const QString &relative) const
{
    const QString path = QDir(m_path).filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    return path;
}

} // namespace mt::lambda
