#include "platform/QFileAvio.h"

#include "media/NativePath.h"

#include <QCoreApplication>
#include <QFile>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/mem.h>
}

#include <cstdio>
#include <memory>

namespace mt::ff {

namespace {

// libavformat's own file protocol reads in blocks of this size.
constexpr int kBufferSize = 64 * 1024;

int readPacket(void *opaque, uint8_t *buf, int size)
{
    auto *file = static_cast<QFile *>(opaque);
    const qint64 n = file->read(reinterpret_cast<char *>(buf), size);
    if (n < 0)
        return AVERROR(EIO);
    return n == 0 ? AVERROR_EOF : int(n);
}

int64_t seek(void *opaque, int64_t offset, int whence)
{
    auto *file = static_cast<QFile *>(opaque);
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
        return file->size();
    case SEEK_SET:
        break;
    case SEEK_CUR:
        offset += file->pos();
        break;
    case SEEK_END:
        offset += file->size();
        break;
    default:
        return AVERROR(EINVAL);
    }
    return file->seek(offset) ? offset : AVERROR(EIO);
}

} // namespace

Status QFileAvio::attach(AVFormatContext *ctx, const QString &path)
{
    auto file = std::make_unique<QFile>();
    if (Status opened = NativePath::open(*file, path, QIODevice::ReadOnly); !opened)
        return opened;
    auto *buffer = static_cast<unsigned char *>(av_malloc(kBufferSize));
    if (!buffer)
        return makeError(Error::Code::Internal, QCoreApplication::translate("Ffmpeg", "out of memory"));
    AVIOContext *pb = avio_alloc_context(buffer, kBufferSize, 0, file.get(), readPacket, nullptr, seek);
    if (!pb) {
        av_free(buffer);
        return makeError(Error::Code::Internal, QCoreApplication::translate("Ffmpeg", "out of memory"));
    }
    file.release(); // owned by the context now, freed in release()
    ctx->pb = pb;
    return Done{};
}

void QFileAvio::release(AVIOContext *pb)
{
    if (!pb)
        return;
    delete static_cast<QFile *>(pb->opaque);
    av_freep(&pb->buffer); // libavformat may have swapped the buffer for a bigger one
    avio_context_free(&pb);
}

} // namespace mt::ff
