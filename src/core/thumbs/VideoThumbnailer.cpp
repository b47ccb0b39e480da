#include "thumbs/VideoThumbnailer.h"

#include "common/FfmpegUtil.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>
#include <QTransform>

#include <cmath>
#include <optional>
#include <string_view>

extern "C" {
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

// Enough for any GOP a camera writes; a file that feeds more packets than this without a
// single decodable frame is broken, and reading on would only burn the time limit.
constexpr int kMaxPacketsPerAttempt = 3000;

struct SwsDeleter { void operator()(SwsContext *c) const { sws_freeContext(c); } };

bool isQuickTimeFamily(const AVFormatContext *fmt)
{
    return fmt->iformat && fmt->iformat->name && std::string_view(fmt->iformat->name).find("mov") != std::string_view::npos;
}

const AVStream *pickVideoStream(AVFormatContext *fmt)
{
    const int best = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (best >= 0 && !(fmt->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        return fmt->streams[best];
    // Cover art is a "video" stream too, but a poor stand-in for the footage.
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            return st;
    }
    return best >= 0 ? fmt->streams[best] : nullptr;
}

int swsColorspace(const AVFrame *frame)
{
    switch (frame->colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_BT470BG: return SWS_CS_ITU601;
    default:
        // Untagged HD material is BT.709 in practice; SD is BT.601.
        return frame->height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    }
}

class FrameGrabber {
public:
    FrameGrabber(AVFormatContext *fmt, const AVStream *stream, AVCodecContext *decoder, const CancellationToken &token)
        : m_fmt(fmt), m_stream(stream), m_decoder(decoder), m_token(token)
    {
    }

    // The first frame the decoder produces after seeking back to the key frame at or before
    // `timestamp` (stream time base). Decoding on to the exact timestamp would cost a whole GOP
    // for little gain in a thumbnail.
    Result<ff::FramePtr> frameNear(int64_t timestamp, bool seek)
    {
        if (seek && av_seek_frame(m_fmt, m_stream->index, timestamp, AVSEEK_FLAG_BACKWARD) < 0) {
            // Some files are not seekable by timestamp; starting over from the beginning is.
            if (av_seek_frame(m_fmt, m_stream->index, m_stream->start_time == AV_NOPTS_VALUE ? 0 : m_stream->start_time,
                              AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY) < 0)
                return makeError(Error::Code::Corrupt, tr("cannot seek in the video"));
        }
        avcodec_flush_buffers(m_decoder);
        return decodeNext();
    }

    // The next frame the decoder produces, reading packets as needed.
    Result<ff::FramePtr> decodeNext()
    {
        ff::PacketPtr packet(av_packet_alloc());
        ff::FramePtr frame(av_frame_alloc());
        if (!packet || !frame)
            return makeError(Error::Code::Internal, tr("out of memory"));
        // A frame may already be waiting from the last packet (or the drain at end of file).
        if (avcodec_receive_frame(m_decoder, frame.get()) == 0)
            return frame;
        int lastError = 0;
        for (int packets = 0; packets < kMaxPacketsPerAttempt; ++packets) {
            if (m_token.isCancelled())
                return interruptedError(m_token);
            const int rc = av_read_frame(m_fmt, packet.get());
            if (rc < 0) {
                if (m_token.isCancelled())
                    return interruptedError(m_token);
                // End of file (or a truncated one): the decoder still holds frames, which is
                // exactly where short clips lose their only frame in naive tools.
                avcodec_send_packet(m_decoder, nullptr);
                if (avcodec_receive_frame(m_decoder, frame.get()) == 0)
                    return frame;
                break;
            }
            if (packet->stream_index != m_stream->index) {
                av_packet_unref(packet.get());
                continue;
            }
            int sent = avcodec_send_packet(m_decoder, packet.get());
            if (sent == AVERROR(EAGAIN)) {
                if (avcodec_receive_frame(m_decoder, frame.get()) == 0) {
                    av_packet_unref(packet.get());
                    return frame;
                }
                sent = avcodec_send_packet(m_decoder, packet.get());
            }
            av_packet_unref(packet.get());
            if (sent < 0 && sent != AVERROR(EAGAIN)) {
                lastError = sent; // a damaged packet; the next key frame may be fine
                continue;
            }
            const int received = avcodec_receive_frame(m_decoder, frame.get());
            if (received == 0)
                return frame;
            if (received != AVERROR(EAGAIN) && received != AVERROR_EOF)
                lastError = received;
        }
        if (lastError)
            return makeError(Error::Code::Corrupt, tr("cannot decode the video: %1").arg(ff::errorString(lastError)));
        return makeError(Error::Code::Corrupt, tr("the video has no decodable frames"));
    }

private:
    AVFormatContext *m_fmt;
    const AVStream *m_stream;
    AVCodecContext *m_decoder;
    CancellationToken m_token;
};

// Scales straight from the decoder's format into an RGB QImage of the display size.
Result<QImage> toImage(const AVFrame *frame, int maxEdge, int rotationClockwise)
{
    const auto format = AVPixelFormat(frame->format);
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(format);
    if (!desc || frame->width <= 0 || frame->height <= 0)
        return makeError(Error::Code::Corrupt, tr("the video frame has no pixels"));
    // Anamorphic video (non-square pixels) is shown stretched to its display aspect.
    double pixelAspect = 1.0;
    if (frame->sample_aspect_ratio.num > 0 && frame->sample_aspect_ratio.den > 0)
        pixelAspect = av_q2d(frame->sample_aspect_ratio);
    const QSize display(std::max(1, int(std::lround(frame->width * pixelAspect))), frame->height);
    const QSize target = fitWithin(display, maxEdge);
    const bool alpha = desc->flags & AV_PIX_FMT_FLAG_ALPHA;
    QImage image(target, alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    if (image.isNull())
        return makeError(Error::Code::Internal, tr("out of memory"));
    // Area averaging when shrinking (no aliasing from 4K to 256 px); bicubic if an anamorphic
    // frame has to grow in one direction.
    const int flags = (target.width() <= frame->width && target.height() <= frame->height) ? SWS_AREA : SWS_BICUBIC;
    std::unique_ptr<SwsContext, SwsDeleter> sws(
        sws_getContext(frame->width, frame->height, format, target.width(), target.height(),
                       alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24, flags | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
    if (!sws)
        return makeError(Error::Code::UnsupportedFormat,
                         tr("cannot convert video frames of pixel format %1").arg(QString::fromLatin1(desc->name)));
    if (!(desc->flags & AV_PIX_FMT_FLAG_RGB)) {
        const bool fullRange = frame->color_range == AVCOL_RANGE_JPEG;
        sws_setColorspaceDetails(sws.get(), sws_getCoefficients(swsColorspace(frame)), fullRange,
                                 sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    }
    uint8_t *dst[4] = {image.bits(), nullptr, nullptr, nullptr};
    // QImage rows are 4-byte aligned, so the stride is not simply 3 × width.
    const int dstStride[4] = {int(image.bytesPerLine()), 0, 0, 0};
    sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dstStride);
    if (rotationClockwise != 0)
        image = image.transformed(QTransform().rotate(rotationClockwise));
    image.convertTo(alpha ? QImage::Format_ARGB32 : QImage::Format_RGB32);
    return image;
}

} // namespace

bool VideoThumbnailer::looksEmpty(const QImage &image)
{
    // Luma statistics on a sparse grid: cheap, and plenty to tell a black or flat frame.
    const int step = std::max(1, std::max(image.width(), image.height()) / 64);
    double sum = 0, sumSquares = 0;
    int n = 0;
    for (int y = 0; y < image.height(); y += step) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); x += step) {
            const QRgb p = line[x];
            const double luma = 0.299 * qRed(p) + 0.587 * qGreen(p) + 0.114 * qBlue(p);
            sum += luma;
            sumSquares += luma * luma;
            ++n;
        }
    }
    if (n == 0)
        return true;
    const double mean = sum / n;
    const double deviation = std::sqrt(std::max(0.0, sumSquares / n - mean * mean));
    return mean < 24 || deviation < 6;
}

namespace {

// A video opened for decoding: demuxer, chosen stream, decoder and the clip's time span.
struct OpenedVideo {
    ff::InputPtr input;
    const AVStream *stream = nullptr;
    ff::CodecPtr decoder;
    int rotation = 0;
    int64_t start = 0;                  // stream time base
    int64_t duration = AV_NOPTS_VALUE;  // stream time base
    bool seekable = false;
};

Result<OpenedVideo> openVideo(const QString &path, const CancellationToken &token)
{
    ff::quietLogging();
    auto input = ff::openInput(path, &token);
    if (!input)
        return input.error();
    AVFormatContext *fmt = input->get();
    // MP4/MOV headers already describe the streams; probing would decode a frame for nothing.
    const bool needProbe = !isQuickTimeFamily(fmt) || fmt->nb_streams == 0
        || [&] {
               for (unsigned i = 0; i < fmt->nb_streams; ++i)
                   if (fmt->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && fmt->streams[i]->codecpar->width > 0)
                       return false;
               return true;
           }();
    if (needProbe && avformat_find_stream_info(fmt, nullptr) < 0) {
        if (token.isCancelled())
            return interruptedError(token);
        return makeError(Error::Code::Corrupt, tr("cannot read the video's streams"));
    }
    const AVStream *stream = pickVideoStream(fmt);
    if (!stream)
        return makeError(Error::Code::UnsupportedFormat, tr("the file has no video stream"));
    // Frame threads add a frame of latency per thread before the first output; for one frame
    // only slice threads help.
    Result<ff::CodecPtr> decoder = ff::openDecoder(*stream, ff::DecoderThreads::Slices);
    if (!decoder)
        return decoder.error();

    const int rotation = ff::displayRotationClockwise(stream);
    const int64_t start = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    int64_t duration = stream->duration;
    if ((duration == AV_NOPTS_VALUE || duration <= 0) && fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        duration = av_rescale_q(fmt->duration, AV_TIME_BASE_Q, stream->time_base);
    const bool seekable = duration != AV_NOPTS_VALUE && duration > 0;

    OpenedVideo video;
    video.input = std::move(input).value();
    video.stream = stream;
    video.decoder = std::move(decoder).value();
    video.rotation = rotation;
    video.start = start;
    video.duration = duration;
    video.seekable = seekable;
    return video;
}

} // namespace

Result<QImage> VideoThumbnailer::thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const
{
    auto opened = openVideo(path, token);
    if (!opened)
        return opened.error();
    const AVStream *stream = opened->stream;
    const int rotation = opened->rotation;
    const int64_t start = opened->start;
    const int64_t duration = opened->duration;
    const bool seekable = opened->seekable;

    FrameGrabber grabber(opened->input.get(), stream, opened->decoder.get(), token);
    std::optional<QImage> fallback;
    std::optional<Error> firstError;
    int64_t lastFramePts = AV_NOPTS_VALUE;
    for (const double position : kPositions) {
        const int64_t target = seekable ? start + int64_t(double(duration) * position) : start;
        auto frame = grabber.frameNear(target, seekable);
        if (!frame) {
            if (frame.error().code == Error::Code::Cancelled || frame.error().code == Error::Code::Timeout)
                return frame.error();
            if (!firstError)
                firstError = frame.error();
            if (!seekable)
                break;
            continue;
        }
        const int64_t pts = (*frame)->best_effort_timestamp;
        // Clips with one key frame land on the same frame from every position: judged once.
        if (pts != AV_NOPTS_VALUE && pts == lastFramePts)
            continue;
        lastFramePts = pts;
        auto image = toImage(frame->get(), maxEdge, rotation);
        if (!image)
            return image.error();
        if (!looksEmpty(*image))
            return image;
        if (!fallback)
            fallback = std::move(image).value();
        if (!seekable)
            break;
    }
    // A clip that is dark throughout gets its dark frame: that is what it looks like.
    if (fallback)
        return *fallback;
    return firstError ? *firstError : makeError(Error::Code::Corrupt, tr("the video has no decodable frames"));
}

} // namespace mt

namespace mt {

Result<VideoSamples> VideoThumbnailer::sampleFrames(const QString &path, int count, int maxEdge,
                                                    const CancellationToken &token) const
{
    auto opened = openVideo(path, token);
    if (!opened)
        return opened.error();
    const AVStream *stream = opened->stream;
    VideoSamples samples;
    if (opened->duration != AV_NOPTS_VALUE && opened->duration > 0)
        samples.durationSeconds = double(opened->duration) * av_q2d(stream->time_base);
    FrameGrabber grabber(opened->input.get(), stream, opened->decoder.get(), token);
    count = std::max(1, count);
    std::optional<Error> firstError;
    int64_t lastPts = AV_NOPTS_VALUE;
    for (int i = 0; i < count; ++i) {
        if (token.isCancelled())
            return interruptedError(token);
        const int64_t target = opened->seekable
            ? opened->start + int64_t(double(opened->duration) * (i + 0.5) / count)
            : opened->start;
        auto frame = grabber.frameNear(target, opened->seekable);
        // Decode on from the key frame to the position; the packet bound in decodeNext keeps a
        // broken file from burning the time limit.
        while (frame && (*frame)->best_effort_timestamp != AV_NOPTS_VALUE && (*frame)->best_effort_timestamp < target) {
            auto next = grabber.decodeNext();
            if (!next)
                break; // end of the clip: the last frame decoded stands for this position
            frame = std::move(next);
        }
        if (!frame) {
            if (frame.error().code == Error::Code::Cancelled || frame.error().code == Error::Code::Timeout)
                return frame.error();
            if (!firstError)
                firstError = frame.error();
            if (!opened->seekable)
                break;
            continue;
        }
        const int64_t pts = (*frame)->best_effort_timestamp;
        if (pts != AV_NOPTS_VALUE && pts == lastPts)
            continue; // the same frame again (a clip shorter than the spacing)
        lastPts = pts;
        auto image = toImage(frame->get(), maxEdge, opened->rotation);
        if (!image)
            return image.error();
        const double seconds = pts == AV_NOPTS_VALUE ? 0.0 : double(pts - opened->start) * av_q2d(stream->time_base);
        samples.frames.push_back({seconds, std::move(image).value()});
        if (!opened->seekable)
            break;
    }
    if (samples.frames.empty())
        return firstError ? *firstError : makeError(Error::Code::Corrupt, tr("the video has no decodable frames"));
    return samples;
}

} // namespace mt
