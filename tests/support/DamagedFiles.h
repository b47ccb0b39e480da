#pragma once

// Small file helpers for the suites that damage stores and journals and check what was kept.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <QTest>

namespace mt::test {

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The files CorruptFile::moveAside made of `path`: "<path>.corrupt-<stamp>".
inline QStringList movedAside(const QString &path)
{
    const QFileInfo info(path);
    QStringList names = info.dir().entryList({info.fileName() + QStringLiteral(".corrupt-*")}, QDir::Files);
    for (QString &name : names)
        name = info.dir().filePath(name);
    return names;
}

} // namespace mt::test
