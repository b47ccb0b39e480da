#include "video/AudioTranscoder.h"

#include "video/WebmWriter.h"

#include <algorithm>
#include <vector>

extern "C" {
#include <libavutil/opt.h>
}

namespace mt {

namespace {
constexpr int kOutputRate = 48000;
// Hard-coded rather than queried: the capability fields are deprecated from FFmpeg 7.1, and
// libopus takes FLT on every version.
constexpr AVSampleFormat kOutputFormat = AV_SAMPLE_FMT_FLT;
}

AudioTranscoder::~AudioTranscoder()
{
    swr_free(&m_resampler);
    if (m_fifo)
        av_audio_fifo_free(m_fifo);
    av_channel_layout_uninit(&m_inLayout);
}

Status AudioTranscoder::open(const AVStream &input, const CompressionProfile &profile, WebmWriter &writer,
                             int64_t originUs)
{
    m_writer = &writer;
    m_inputTimeBase = input.time_base;
    m_originUs = originUs;

    Result<ff::CodecPtr> decoder = ff::openDecoder(input);
    if (!decoder)
        return decoder.error();
    m_decoder = std::move(decoder).value();

    const AVCodec *encoder = avcodec_find_encoder_by_name("libopus");
    if (!encoder)
        return makeError(Error::Code::Internal,
                         tr("this FFmpeg build has no Opus encoder (libopus); install an FFmpeg built with it"));
    ff::CodecPtr context(avcodec_alloc_context3(encoder));
    if (!context)
        return makeError(Error::Code::Internal, tr("out of memory"));
    av_channel_layout_default(&context->ch_layout, 1);
    context->sample_rate = kOutputRate;
    context->sample_fmt = kOutputFormat;
    context->bit_rate = profile.audioBitRate;
    context->time_base = AVRational{1, kOutputRate};
    if (writer.wantsGlobalHeader())
        context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(context->priv_data, "vbr", "on", 0);
    if (Status st = m_encoder.open(std::move(context), *encoder, tr("Opus")); !st)
        return st;

    m_fifo = av_audio_fifo_alloc(kOutputFormat, 1, std::max(m_encoder.context().frame_size, 1024) * 4);
    if (!m_fifo)
        return makeError(Error::Code::Internal, tr("out of memory"));
    if (Status st = m_pump.attach(m_decoder.get()); !st)
        return st;

    Result<int> index = writer.addStream(m_encoder.context());
    if (!index)
        return index.error();
    m_streamIndex = *index;
    return Done{};
}

Status AudioTranscoder::sendPacket(const AVPacket &packet)
{
    return m_pump.send(packet, [this](AVFrame &frame) { return encodeDecoded(frame); });
}

Status AudioTranscoder::encodeDecoded(AVFrame &frame)
{
    if (Status st = resampleIntoFifo(&frame); !st)
        return st;
    return encodeFromFifo(false);
}

Status AudioTranscoder::configureResampler(const AVFrame &frame)
{
    AVChannelLayout inLayout{};
    // Some containers (raw PCM, old AVI) give only a channel count; assume the usual layout.
    if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame.ch_layout.nb_channels <= 0)
        av_channel_layout_default(&inLayout, std::max(frame.ch_layout.nb_channels, 1));
    else if (av_channel_layout_copy(&inLayout, &frame.ch_layout) < 0)
        return makeError(Error::Code::Internal, tr("out of memory"));

    swr_free(&m_resampler);
    AVChannelLayout outLayout{};
    av_channel_layout_default(&outLayout, 1);
    int rc = swr_alloc_set_opts2(&m_resampler, &outLayout, kOutputFormat, kOutputRate, &inLayout,
                                 AVSampleFormat(frame.format), frame.sample_rate, 0, nullptr);
    av_channel_layout_uninit(&outLayout);
    if (rc >= 0)
        rc = swr_init(m_resampler);
    av_channel_layout_uninit(&m_inLayout);
    m_inLayout = inLayout;
    m_inRate = frame.sample_rate;
    m_inFormat = frame.format;
    if (rc < 0)
        return makeError(Error::Code::UnsupportedFormat,
                         tr("cannot convert the audio to 48 kHz mono: %1").arg(ff::errorString(rc)));
    return Done{};
}

Status AudioTranscoder::resampleIntoFifo(const AVFrame *frame)
{
    if (frame) {
        if (frame->sample_rate <= 0)
            return Done{};
        if (m_nextPts == AV_NOPTS_VALUE) {
            // Audio that starts after the video starts after it in the output too.
            const int64_t ts = frame->best_effort_timestamp;
            const int64_t startUs = ts == AV_NOPTS_VALUE ? m_originUs
                                                         : av_rescale_q(ts, m_inputTimeBase, AV_TIME_BASE_Q);
            m_nextPts = std::max<int64_t>(0, av_rescale(startUs - m_originUs, kOutputRate, AV_TIME_BASE));
        }
        const bool layoutChanged = frame->ch_layout.nb_channels != m_inLayout.nb_channels
                                   || (frame->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC
                                       && av_channel_layout_compare(&frame->ch_layout, &m_inLayout) != 0);
        if (!m_resampler || frame->sample_rate != m_inRate || frame->format != m_inFormat || layoutChanged) {
            if (Status st = configureResampler(*frame); !st)
                return st;
        }
    }
    if (!m_resampler)
        return Done{};

    const int inSamples = frame ? frame->nb_samples : 0;
    const int capacity = swr_get_out_samples(m_resampler, inSamples);
    if (capacity <= 0)
        return Done{};
    std::vector<float> out(static_cast<size_t>(capacity));
    uint8_t *outPlanes[1] = {reinterpret_cast<uint8_t *>(out.data())};
    const int converted = swr_convert(m_resampler, outPlanes, capacity,
                                      frame ? const_cast<const uint8_t **>(frame->extended_data) : nullptr, inSamples);
    if (converted < 0)
        return makeError(Error::Code::Internal, tr("cannot convert the audio: %1").arg(ff::errorString(converted)));
    void *fifoPlanes[1] = {out.data()};
    if (converted > 0 && av_audio_fifo_write(m_fifo, fifoPlanes, converted) < converted)
        return makeError(Error::Code::Internal, tr("out of memory"));
    return Done{};
}

Status AudioTranscoder::encodeFromFifo(bool flushing)
{
    const int frameSize = m_encoder.context().frame_size > 0 ? m_encoder.context().frame_size : 960;
    while (av_audio_fifo_size(m_fifo) >= frameSize || (flushing && av_audio_fifo_size(m_fifo) > 0)) {
        // libopus accepts a short last frame (AV_CODEC_CAP_SMALL_LAST_FRAME).
        const int samples = std::min(av_audio_fifo_size(m_fifo), frameSize);
        ff::FramePtr frame(av_frame_alloc());
        if (!frame)
            return makeError(Error::Code::Internal, tr("out of memory"));
        frame->nb_samples = samples;
        frame->format = kOutputFormat;
        frame->sample_rate = kOutputRate;
        av_channel_layout_copy(&frame->ch_layout, &m_encoder.context().ch_layout);
        if (av_frame_get_buffer(frame.get(), 0) < 0)
            return makeError(Error::Code::Internal, tr("out of memory"));
        if (av_audio_fifo_read(m_fifo, reinterpret_cast<void **>(frame->data), samples) < samples)
            return makeError(Error::Code::Internal, tr("cannot read buffered audio"));
        frame->pts = m_nextPts;
        m_nextPts += samples;
        if (Status st = m_encoder.encode(*frame, [this](AVPacket &packet) { return writePacket(packet); }); !st)
            return st;
    }
    return Done{};
}

Status AudioTranscoder::writePacket(AVPacket &packet)
{
    return m_writer->writePacket(packet, m_streamIndex, m_encoder.context().time_base);
}

Status AudioTranscoder::finish()
{
    // Decoder → resampler tail → FIFO remainder → encoder delay, in that order.
    if (Status st = m_pump.drain([this](AVFrame &frame) { return encodeDecoded(frame); }); !st)
        return st;
    if (m_nextPts == AV_NOPTS_VALUE)
        m_nextPts = 0;
    if (Status st = resampleIntoFifo(nullptr); !st)
        return st;
    if (Status st = encodeFromFifo(true); !st)
        return st;
    return m_encoder.finish([this](AVPacket &packet) { return writePacket(packet); });
}

} // namespace mt
