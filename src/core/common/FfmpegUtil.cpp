#include "common/FfmpegUtil.h"

#include "media/NativePath.h"
#include "platform/QFileAvio.h"

#include <QCoreApplication>
#include <QFile>

#include <cmath>
#include <mutex>

extern "C" {
#include <libavutil/display.h>
}

namespace mt::ff {

QString errorString(int averror)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(averror, buf, sizeof buf);
    return QString::fromUtf8(buf);
}

void InputDeleter::operator()(AVFormatContext *c) const
{
    AVIOContext *ours = (c && (c->flags & AVFMT_FLAG_CUSTOM_IO)) ? c->pb : nullptr;
    avformat_close_input(&c);
    if (ours && releaseIo)
        releaseIo(ours);
}

static int interruptCallback(void *opaque)
{
    return static_cast<const CancellationToken *>(opaque)->isCancelled() ? 1 : 0;
}

Result<InputPtr> openInput(const QString &path, const CancellationToken *token, CFileAccess access)
{
    AVFormatContext *ctx = avformat_alloc_context();
    if (!ctx)
        return makeError(Error::Code::Internal, QStringLiteral("out of memory"));
    if (token) {
        ctx->interrupt_callback.callback = interruptCallback;
        ctx->interrupt_callback.opaque = const_cast<CancellationToken *>(token);
    }
    if (access == CFileAccess::ThroughQt) {
        if (Status attached = QFileAvio::attach(ctx, path); !attached) {
            avformat_free_context(ctx);
            return attached.error();
        }
    }
    AVIOContext *ours = ctx->pb;
    // By name: the exact bytes of the name (NativePath); through Qt: the name is only a label.
    const QByteArray name = NativePath::forCLibrary(path);
    const int rc = avformat_open_input(&ctx, name.constData(), nullptr, nullptr);
    if (rc < 0) {
        // avformat_open_input frees the context on failure, but not a caller's AVIOContext.
        QFileAvio::release(ours);
        if (token && token->isCancelled())
            return makeError(Error::Code::Cancelled, QCoreApplication::translate("Ffmpeg", "cancelled"));
        if (rc == AVERROR(ENOENT))
            return makeError(Error::Code::NotFound, QCoreApplication::translate("Ffmpeg", "file not found"));
        if (rc == AVERROR(EACCES))
            return makeError(Error::Code::PermissionDenied, QCoreApplication::translate("Ffmpeg", "permission denied"));
        if (rc == AVERROR_INVALIDDATA)
            return makeError(Error::Code::Corrupt, QCoreApplication::translate(
                "Ffmpeg", "cannot read as video: the file is damaged or incomplete (%1)").arg(errorString(rc)));
        return makeError(Error::Code::Corrupt,
                         QCoreApplication::translate("Ffmpeg", "cannot read as video: %1").arg(errorString(rc)));
    }
    return InputPtr(ctx, InputDeleter{access == CFileAccess::ThroughQt ? &QFileAvio::release : nullptr});
}

namespace {

QString mediaTypeName(AVMediaType type)
{
    switch (type) {
    case AVMEDIA_TYPE_VIDEO:
        return QCoreApplication::translate("Ffmpeg", "video");
    case AVMEDIA_TYPE_AUDIO:
        return QCoreApplication::translate("Ffmpeg", "audio");
    default:
        return QCoreApplication::translate("Ffmpeg", "data");
    }
}

} // namespace

Result<CodecPtr> openDecoder(const AVStream &stream, DecoderThreads threads)
{
    const AVCodecParameters &par = *stream.codecpar;
    const QString kind = mediaTypeName(par.codec_type);
    const QString codecName = QString::fromUtf8(avcodec_get_name(par.codec_id));
    const AVCodec *codec = avcodec_find_decoder(par.codec_id);
    if (!codec)
        return makeError(Error::Code::UnsupportedFormat,
                         QCoreApplication::translate("Ffmpeg", "the %1 format (%2) is not supported: this FFmpeg build has no decoder for it")
                             .arg(kind, codecName));
    CodecPtr decoder(avcodec_alloc_context3(codec));
    if (!decoder)
        return makeError(Error::Code::Internal, QCoreApplication::translate("Ffmpeg", "out of memory"));
    if (const int rc = avcodec_parameters_to_context(decoder.get(), &par); rc < 0)
        return makeError(Error::Code::Internal, QCoreApplication::translate("Ffmpeg", "cannot set up the %1 decoder (%2): %3")
                                                    .arg(kind, codecName, errorString(rc)));
    decoder->pkt_timebase = stream.time_base;
    if (threads != DecoderThreads::Default) {
        decoder->thread_count = 0; // one per core
        decoder->thread_type = threads == DecoderThreads::Slices ? FF_THREAD_SLICE : FF_THREAD_FRAME | FF_THREAD_SLICE;
    }
    if (const int rc = avcodec_open2(decoder.get(), codec, nullptr); rc < 0)
        return makeError(Error::Code::UnsupportedFormat,
                         QCoreApplication::translate("Ffmpeg", "cannot decode the %1 (%2): %3").arg(kind, codecName, errorString(rc)));
    return decoder;
}

int displayRotationClockwise(const AVStream *stream)
{
    const uint8_t *matrix = nullptr;
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 31, 100)
    const AVPacketSideData *sd = av_packet_side_data_get(stream->codecpar->coded_side_data,
                                                         stream->codecpar->nb_coded_side_data,
                                                         AV_PKT_DATA_DISPLAYMATRIX);
    if (sd && sd->size >= 9 * sizeof(int32_t))
        matrix = sd->data;
#else
    size_t size = 0;
    matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (size < 9 * sizeof(int32_t))
        matrix = nullptr;
#endif
    if (!matrix)
        return 0;
    const double counterClockwise = av_display_rotation_get(reinterpret_cast<const int32_t *>(matrix));
    if (std::isnan(counterClockwise))
        return 0;
    // Same normalisation as ffmpeg's autorotate: the matrix angle is counter-clockwise.
    int cw = int(std::lround(-counterClockwise)) % 360;
    if (cw < 0)
        cw += 360;
    // Snap to the nearest quarter turn; phones only write multiples of 90.
    return ((cw + 45) / 90 % 4) * 90;
}

void quietLogging()
{
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

} // namespace mt::ff
