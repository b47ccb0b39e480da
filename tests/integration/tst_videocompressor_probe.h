#pragma once
// Reads back what the compressor wrote, with libavformat/libavcodec, independently of the
// compressor's own code paths.

#include <QByteArray>
#include <QString>

#include <cmath>
#include <memory>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

namespace probe {

struct Info {
    bool ok = false;
    QString error;
    QString formatName;
    int videoStreams = 0;
    int audioStreams = 0;
    QString videoCodec;
    QString audioCodec;
    int width = 0;
    int height = 0;
    int channels = 0;
    int sampleRate = 0;
    double duration = 0;     // container
    int videoFrames = 0;     // packets of the video stream
    double videoSpan = 0;    // first pts .. last pts + duration, seconds
    double fps() const { return videoSpan > 0 ? videoFrames / videoSpan : 0; }
};

struct FormatCloser { void operator()(AVFormatContext *c) const { avformat_close_input(&c); } };
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;

inline FormatPtr open(const QString &path, QString *error)
{
    AVFormatContext *ctx = nullptr;
    if (int rc = avformat_open_input(&ctx, path.toUtf8().constData(), nullptr, nullptr); rc < 0) {
        if (error) *error = QStringLiteral("cannot open %1 (%2)").arg(path).arg(rc);
        return {};
    }
    FormatPtr p(ctx);
    if (avformat_find_stream_info(ctx, nullptr) < 0) {
        if (error) *error = QStringLiteral("no stream info");
        return {};
    }
    return p;
}

inline Info read(const QString &path)
{
    Info info;
    FormatPtr fmt = open(path, &info.error);
    if (!fmt)
        return info;
    info.formatName = QString::fromUtf8(fmt->iformat->name);
    info.duration = fmt->duration > 0 ? double(fmt->duration) / AV_TIME_BASE : 0;
    int videoIndex = -1;
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        const AVCodecParameters *par = fmt->streams[i]->codecpar;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
            if (++info.videoStreams == 1) {
                videoIndex = int(i);
                info.videoCodec = QString::fromUtf8(avcodec_get_name(par->codec_id));
                info.width = par->width;
                info.height = par->height;
            }
        } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
            if (++info.audioStreams == 1) {
                info.audioCodec = QString::fromUtf8(avcodec_get_name(par->codec_id));
                info.channels = par->ch_layout.nb_channels;
                info.sampleRate = par->sample_rate;
            }
        }
    }
    AVPacket *pkt = av_packet_alloc();
    int64_t first = AV_NOPTS_VALUE, end = AV_NOPTS_VALUE;
    while (av_read_frame(fmt.get(), pkt) >= 0) {
        if (pkt->stream_index == videoIndex && pkt->pts != AV_NOPTS_VALUE) {
            ++info.videoFrames;
            if (first == AV_NOPTS_VALUE || pkt->pts < first) first = pkt->pts;
            const int64_t e = pkt->pts + std::max<int64_t>(pkt->duration, 0);
            if (end == AV_NOPTS_VALUE || e > end) end = e;
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    if (videoIndex >= 0 && first != AV_NOPTS_VALUE)
        info.videoSpan = (end - first) * av_q2d(fmt->streams[videoIndex]->time_base);
    info.ok = true;
    return info;
}

// First decoded picture of the first video stream, scaled to w x h 8-bit grey.
inline QByteArray firstFrameGrey(const QString &path, int w, int h)
{
    FormatPtr fmt = open(path, nullptr);
    if (!fmt)
        return {};
    const int index = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0)
        return {};
    const AVCodec *codec = avcodec_find_decoder(fmt->streams[index]->codecpar->codec_id);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(dec, fmt->streams[index]->codecpar);
    QByteArray out;
    if (avcodec_open2(dec, codec, nullptr) >= 0) {
        AVPacket *pkt = av_packet_alloc();
        AVFrame *frame = av_frame_alloc();
        bool got = false;
        while (!got && av_read_frame(fmt.get(), pkt) >= 0) {
            if (pkt->stream_index == index && avcodec_send_packet(dec, pkt) >= 0)
                got = avcodec_receive_frame(dec, frame) >= 0;
            av_packet_unref(pkt);
        }
        if (!got) {
            avcodec_send_packet(dec, nullptr);
            got = avcodec_receive_frame(dec, frame) >= 0;
        }
        if (got) {
            SwsContext *sws = sws_getContext(frame->width, frame->height, AVPixelFormat(frame->format), w, h,
                                             AV_PIX_FMT_GRAY8, SWS_AREA, nullptr, nullptr, nullptr);
            out.resize(w * h);
            uint8_t *dst[4] = {reinterpret_cast<uint8_t *>(out.data()), nullptr, nullptr, nullptr};
            int dstStride[4] = {w, 0, 0, 0};
            sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, dstStride);
            sws_freeContext(sws);
        }
        av_frame_free(&frame);
        av_packet_free(&pkt);
    }
    avcodec_free_context(&dec);
    return out;
}

// Sign changes per second of the first audio stream: 2x the frequency of a pure tone.
inline double zeroCrossingsPerSecond(const QString &path)
{
    FormatPtr fmt = open(path, nullptr);
    if (!fmt)
        return 0;
    const int index = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0)
        return 0;
    const AVCodec *codec = avcodec_find_decoder(fmt->streams[index]->codecpar->codec_id);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(dec, fmt->streams[index]->codecpar);
    double crossings = 0, samples = 0;
    int rate = 0;
    if (avcodec_open2(dec, codec, nullptr) >= 0) {
        AVPacket *pkt = av_packet_alloc();
        AVFrame *frame = av_frame_alloc();
        float previous = 0;
        auto drain = [&] {
            while (avcodec_receive_frame(dec, frame) >= 0) {
                rate = frame->sample_rate;
                // Opus decodes to FLT (interleaved) or FLTP; channel 0 is what we look at.
                const bool planar = frame->format == AV_SAMPLE_FMT_FLTP;
                const int stride = planar ? 1 : frame->ch_layout.nb_channels;
                const float *s = reinterpret_cast<const float *>(frame->extended_data[0]);
                for (int i = 0; i < frame->nb_samples; ++i) {
                    const float v = s[i * stride];
                    if ((v > 0.01f && previous < -0.01f) || (v < -0.01f && previous > 0.01f))
                        ++crossings;
                    if (std::fabs(v) > 0.01f)
                        previous = v;
                }
                samples += frame->nb_samples;
            }
        };
        while (av_read_frame(fmt.get(), pkt) >= 0) {
            if (pkt->stream_index == index && avcodec_send_packet(dec, pkt) >= 0)
                drain();
            av_packet_unref(pkt);
        }
        avcodec_send_packet(dec, nullptr);
        drain();
        av_frame_free(&frame);
        av_packet_free(&pkt);
    }
    avcodec_free_context(&dec);
    return rate > 0 && samples > 0 ? crossings / (samples / rate) : 0;
}

} // namespace probe
