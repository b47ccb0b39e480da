#include "thumbs/LibRawFileStream.h"

#include "media/NativePath.h"

#include <cctype>
#include <cstdio>

namespace mt {

LibRawFileStream::LibRawFileStream(const QString &path)
{
    (void)NativePath::open(m_file, path, QIODevice::ReadOnly);
}

int LibRawFileStream::read(void *buffer, size_t size, size_t count)
{
    if (size == 0 || count == 0)
        return 0;
    const qint64 got = m_file.read(static_cast<char *>(buffer), qint64(size * count));
    // Like fread: whole items only; a partial one is left where the file ended.
    return got <= 0 ? 0 : int(size_t(got) / size);
}

int LibRawFileStream::seek(INT64 offset, int whence)
{
    qint64 target = offset;
    switch (whence) {
    case SEEK_SET: break;
    case SEEK_CUR: target += m_file.pos(); break;
    case SEEK_END: target += m_file.size(); break;
    default: return -1;
    }
    // Past the end is allowed (fseek's rule); reads there simply return nothing.
    return target >= 0 && m_file.seek(target) ? 0 : -1;
}

int LibRawFileStream::get_char()
{
    char c = 0;
    return m_file.getChar(&c) ? int(static_cast<unsigned char>(c)) : -1;
}

char *LibRawFileStream::gets(char *buffer, int size)
{
    if (size <= 0)
        return nullptr;
    // fgets: up to size - 1 characters, through the first newline, always terminated.
    int n = 0;
    char c = 0;
    while (n < size - 1 && m_file.getChar(&c)) {
        buffer[n++] = c;
        if (c == '\n')
            break;
    }
    buffer[n] = '\0';
    return n > 0 ? buffer : nullptr;
}

int LibRawFileStream::scanf_one(const char *format, void *value)
{
    // LibRaw asks for one number ("%d" or "%f") where a few formats store text: skip blanks, take
    // the token up to the next blank, convert it.
    char token[32] = {};
    char c = 0;
    bool got = m_file.getChar(&c);
    while (got && std::isspace(static_cast<unsigned char>(c)))
        got = m_file.getChar(&c);
    if (!got)
        return EOF;
    size_t n = 0;
    token[n++] = c;
    while (n < sizeof token - 1 && m_file.getChar(&c)) {
        if (std::isspace(static_cast<unsigned char>(c)))
            break;
        token[n++] = c;
    }
    return std::sscanf(token, format, value);
}

} // namespace mt
