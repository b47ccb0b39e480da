#include "media/NativePath.h"

#include <QFileInfo>

namespace mt {

namespace {

constexpr char16_t kEscapeBase = 0xDC00;

bool isEscapeChar(QChar c) { return c.unicode() >= kEscapeBase + 0x80 && c.unicode() <= kEscapeBase + 0xFF; }

// Length of the valid UTF-8 sequence at bytes[i], or 0 when the byte there does not start one.
int validSequenceLength(const QByteArray &bytes, qsizetype i)
{
    const auto byte = [&](qsizetype k) { return k < bytes.size() ? uchar(bytes[k]) : uchar(0); };
    const uchar b0 = byte(i);
    if (b0 < 0x80)
        return 1;
    int length = 0;
    uchar lo = 0x80, hi = 0xBF; // allowed range of the second byte (excludes overlongs and surrogates)
    if (b0 >= 0xC2 && b0 <= 0xDF)
        length = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        lo = b0 == 0xE0 ? 0xA0 : 0x80;
        hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        lo = b0 == 0xF0 ? 0x90 : 0x80;
        hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (int k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    }
    return length;
}

} // namespace

QString NativePath::fromNative(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size());
    qsizetype i = 0;
    while (i < bytes.size()) {
        const int length = validSequenceLength(bytes, i);
        if (length == 0) {
            out.append(QChar(char16_t(kEscapeBase + uchar(bytes[i]))));
            ++i;
        } else {
            out.append(QString::fromUtf8(bytes.constData() + i, length));
            i += length;
        }
    }
    return out;
}

QByteArray NativePath::toNative(const QString &path)
{
    if (!isEscaped(path))
        return path.toUtf8();
    QByteArray out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (!isEscapeChar(path[i]) || (i > 0 && path[i - 1].isHighSurrogate()))
            continue;
        out += QStringView(path).mid(start, i - start).toUtf8();
        out += char(path[i].unicode() - kEscapeBase);
        start = i + 1;
    }
    out += QStringView(path).mid(start).toUtf8();
    return out;
}

NativePath::Status NativePath::statusWithQt(const QString &path)
{
    const QFileInfo info(path);
    return {info.exists(), info.isDir(), info.isFile(), info.isReadable(), info.size(), info.lastModified()};
}

mt::Status NativePath::openWithQt(QFile &file, const QString &path, QIODevice::OpenMode mode)
{
    file.setFileName(path);
    if (file.open(mode))
        return Done{};
    const auto code = file.error() == QFileDevice::PermissionsError ? Error::Code::PermissionDenied
                    : QFileInfo::exists(path)                      ? Error::Code::Io
                                                                   : Error::Code::NotFound;
    return makeError(code, file.errorString());
}

Result<QString> NativePath::moveToTrashWithQt(const QString &path)
{
    QFile file(path);
    if (!file.moveToTrash())
        return makeError(Error::Code::Io, file.errorString());
    return file.fileName();
}

bool NativePath::isEscaped(const QString &path)
{
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (isEscapeChar(path[i]) && !(i > 0 && path[i - 1].isHighSurrogate()))
            return true;
    }
    return false;
}

} // namespace mt
