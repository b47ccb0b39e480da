#include "video/MemoryMediaInput.h"

#include <QCoreApplication>

#include <cstring>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("MemoryMediaInput", text); }

constexpr int kIoBufferSize = 64 * 1024;

int interruptCallback(void *opaque) { return static_cast<const CancellationToken *>(opaque)->isCancelled() ? 1 : 0; }

// With AVFMT_FLAG_CUSTOM_IO the demuxer leaves the I/O context (and its buffer) to us.
void releaseMemoryIo(AVIOContext *io)
{
    av_freep(&io->buffer);
    avio_context_free(&io);
}

} // namespace

int MemoryMediaInput::readPacket(void *opaque, uint8_t *buffer, int size)
{
    auto *self = static_cast<MemoryMediaInput *>(opaque);
    const qint64 left = self->m_bytes.size() - self->m_position;
    if (left <= 0)
        return AVERROR_EOF;
    const int n = int(std::min<qint64>(left, size));
    std::memcpy(buffer, self->m_bytes.data() + self->m_position, size_t(n));
    self->m_position += n;
    return n;
}

int64_t MemoryMediaInput::seek(void *opaque, int64_t offset, int whence)
{
    auto *self = static_cast<MemoryMediaInput *>(opaque);
    const qint64 size = self->m_bytes.size();
    qint64 target = 0;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return size;
    case SEEK_SET: target = offset; break;
    case SEEK_CUR: target = self->m_position + offset; break;
    case SEEK_END: target = size + offset; break;
    default: return AVERROR(EINVAL);
    }
    if (target < 0 || target > size)
        return AVERROR(EINVAL);
    self->m_position = target;
    return target;
}

Result<std::unique_ptr<MemoryMediaInput>> MemoryMediaInput::open(QByteArrayView bytes, const CancellationToken *token)
{
    std::unique_ptr<MemoryMediaInput> input(new MemoryMediaInput(bytes));
    auto *buffer = static_cast<unsigned char *>(av_malloc(kIoBufferSize));
    AVIOContext *io = buffer ? avio_alloc_context(buffer, kIoBufferSize, 0, input.get(), &MemoryMediaInput::readPacket,
                                                  nullptr, &MemoryMediaInput::seek)
                             : nullptr;
    AVFormatContext *ctx = io ? avformat_alloc_context() : nullptr;
    if (!ctx) {
        if (io)
            releaseMemoryIo(io);
        else
            av_free(buffer);
        return makeError(Error::Code::Internal, tr("out of memory opening the video"));
    }
    ctx->pb = io;
    ctx->flags |= AVFMT_FLAG_CUSTOM_IO;
    if (token)
        ctx->interrupt_callback = AVIOInterruptCB{interruptCallback, const_cast<CancellationToken *>(token)};
    if (const int rc = avformat_open_input(&ctx, nullptr, nullptr, nullptr); rc < 0) {
        releaseMemoryIo(io); // avformat_open_input freed the context, never a caller's I/O
        return makeError(Error::Code::Corrupt, tr("cannot read the video: %1").arg(ff::errorString(rc)));
    }
    input->m_format = ff::InputPtr(ctx, ff::InputDeleter{&releaseMemoryIo});
    return input;
}

Result<double> MemoryMediaInput::probeDurationSeconds(QByteArrayView bytes)
{
    auto input = open(bytes);
    if (!input)
        return input.error();
    AVFormatContext *fmt = (*input)->format();
    // MP4 states its length in the header; probing the streams (decoding frames) is for the rest.
    if (fmt->duration > 0)
        return double(fmt->duration) / AV_TIME_BASE;
    if (const int rc = avformat_find_stream_info(fmt, nullptr); rc < 0)
        return makeError(Error::Code::Corrupt, tr("cannot read the video's streams: %1").arg(ff::errorString(rc)));
    if (fmt->duration <= 0)
        return makeError(Error::Code::Corrupt, tr("the video does not say how long it is"));
    return double(fmt->duration) / AV_TIME_BASE;
}

} // namespace mt
