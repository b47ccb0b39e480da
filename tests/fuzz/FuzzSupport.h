#pragma once

// Shared by the libFuzzer targets: quiet logging (a fuzzer prints nothing per input, or its speed
// goes to the terminal) and one scratch folder per process for targets that need a file on disk.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QtGlobal>

#include <cstddef>
#include <cstdint>

namespace mt::fuzz {

inline void silenceQtLogging()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        // Fatal messages still abort, so libFuzzer reports them as crashes with the text.
        if (type == QtFatalMsg) {
            fprintf(stderr, "%s\n", qPrintable(message));
            abort();
        }
    });
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// A folder that lives as long as the fuzzing process.
inline const QTemporaryDir &scratch()
{
    static const QTemporaryDir dir;
    return dir;
}

// Replaces `name` in the scratch folder with exactly these bytes; false when the disk refused.
inline bool writeScratchFile(const QString &path, const uint8_t *data, size_t size)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(reinterpret_cast<const char *>(data), qint64(size)) == qint64(size);
}

} // namespace mt::fuzz
