#include "video/VideoTranscoder.h"

#include "video/WebmWriter.h"

#include <algorithm>
#include <cmath>
#include <mutex>

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

namespace mt {

VideoTranscoder::~VideoTranscoder()
{
    sws_freeContext(m_scaler);
}

Status VideoTranscoder::open(const AVStream &input, AVRational guessedFrameRate, Settings settings,
                             WebmWriter &writer)
{
    m_settings = std::move(settings);
    m_writer = &writer;
    m_inputTimeBase = input.time_base;
    const AVCodecParameters &par = *input.codecpar;

    // Decoding a phone's 4K stream is the other big cost next to AV1 encoding; use every core.
    Result<ff::CodecPtr> decoder = ff::openDecoder(input, ff::DecoderThreads::FramesAndSlices);
    if (!decoder)
        return decoder.error();
    m_decoder = std::move(decoder).value();
    if (par.width <= 0 || par.height <= 0)
        return makeError(Error::Code::Corrupt, tr("the video has no picture size; the file is probably damaged"));
    m_colorPrimaries = par.color_primaries;
    m_colorTransfer = par.color_trc;
    m_colorSpace = par.color_space;

    // Never raise the frame rate: a 3 fps time-lapse stays 3 fps.
    const AVRational maxRate{std::max(1, m_settings.profile.maxFps), 1};
    m_outputRate = maxRate;
    if (guessedFrameRate.num > 0 && guessedFrameRate.den > 0 && av_cmp_q(guessedFrameRate, maxRate) < 0)
        m_outputRate = av_d2q(av_q2d(guessedFrameRate), 1001000);

    m_outputSize = uprightOutputSize({par.width, par.height}, par.sample_aspect_ratio,
                                     m_settings.rotationClockwise, m_settings.profile.maxLongEdge);

    m_scaled.reset(av_frame_alloc());
    m_rotated.reset(av_frame_alloc());
    if (!m_scaled || !m_rotated)
        return makeError(Error::Code::Internal, tr("out of memory"));
    if (Status st = m_pump.attach(m_decoder.get()); !st)
        return st;
    const bool quarterTurn = m_settings.rotationClockwise == 90 || m_settings.rotationClockwise == 270;
    m_scaled->format = AV_PIX_FMT_YUV420P;
    m_scaled->width = quarterTurn ? m_outputSize.height : m_outputSize.width;
    m_scaled->height = quarterTurn ? m_outputSize.width : m_outputSize.height;
    if (av_frame_get_buffer(m_scaled.get(), 0) < 0)
        return makeError(Error::Code::Internal, tr("out of memory"));

    // The WebM stream is reserved now so the video comes first; the encoder describes it once it
    // opens at the first picture.
    Result<int> index = writer.reserveStream();
    if (!index)
        return index.error();
    m_streamIndex = *index;
    return Done{};
}

Status VideoTranscoder::openEncoder()
{
    // SVT-AV1 prints its configuration banner to stderr at info level, bypassing av_log; keep it
    // to errors unless the user asked for more with SVT_LOG themselves.
    static std::once_flag quietSvt;
    std::call_once(quietSvt, [] {
        if (!qEnvironmentVariableIsSet("SVT_LOG"))
            qputenv("SVT_LOG", "1");
    });
    const AVCodec *encoder = avcodec_find_encoder_by_name("libsvtav1");
    if (!encoder)
        return makeError(Error::Code::Internal,
                         tr("this FFmpeg build has no AV1 encoder (libsvtav1); install an FFmpeg built with it"));
    ff::CodecPtr context(avcodec_alloc_context3(encoder));
    if (!context)
        return makeError(Error::Code::Internal, tr("out of memory"));
    AVCodecContext &enc = *context;
    enc.width = m_outputSize.width;
    enc.height = m_outputSize.height;
    enc.pix_fmt = AV_PIX_FMT_YUV420P;
    enc.sample_aspect_ratio = AVRational{1, 1};
    enc.time_base = av_inv_q(m_outputRate);
    // SVT-AV1 otherwise derives its rate model from 1/time_base.
    enc.framerate = m_outputRate;
    // The scaler converts to limited range; keep the source's colour description so players
    // interpret the (unchanged) primaries and transfer the same way.
    enc.color_range = AVCOL_RANGE_MPEG;
    enc.color_primaries = m_colorPrimaries;
    enc.color_trc = m_colorTransfer;
    enc.colorspace = m_colorSpace;
    if (m_writer->wantsGlobalHeader())
        enc.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set_int(enc.priv_data, "preset", m_settings.preset, 0);
    av_opt_set_int(enc.priv_data, "crf", m_settings.profile.crf, 0);
    const QString what = tr("AV1 (%1x%2)").arg(enc.width).arg(enc.height);
    if (Status st = m_encoder.open(std::move(context), *encoder, what); !st)
        return st;
    return m_writer->describeStream(m_streamIndex, m_encoder.context());
}

Status VideoTranscoder::sendPacket(const AVPacket &packet)
{
    return m_pump.send(packet, [this](AVFrame &frame) { return keepOrDrop(frame); });
}

Status VideoTranscoder::keepOrDrop(AVFrame &frame)
{
    // Timestamps, not frame counts, so variable-frame-rate phone clips keep their timing.
    int64_t slot = m_nextSlot;
    const int64_t ts = frame.best_effort_timestamp;
    if (ts != AV_NOPTS_VALUE) {
        const double seconds = double(av_rescale_q(ts, m_inputTimeBase, AV_TIME_BASE_Q) - m_settings.originUs)
                               / AV_TIME_BASE;
        // A little slack so a frame a hair before its slot (millisecond-rounded timestamps, e.g. a
        // 3 fps clip in Matroska at 0.333 s) still fills it; more would pull in an extra frame.
        slot = int64_t(std::floor(seconds * av_q2d(m_outputRate) + 0.02));
    }
    if (slot < m_nextSlot)
        return Done{};
    return convertAndEncode(frame, slot);
}

Status VideoTranscoder::convertAndEncode(const AVFrame &frame, int64_t slot)
{
    m_scaler = sws_getCachedContext(m_scaler, frame.width, frame.height, AVPixelFormat(frame.format),
                                    m_scaled->width, m_scaled->height, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
                                    nullptr, nullptr, nullptr);
    if (!m_scaler)
        return makeError(Error::Code::UnsupportedFormat,
                         tr("cannot convert pictures in %1 format")
                             .arg(QString::fromUtf8(av_get_pix_fmt_name(AVPixelFormat(frame.format)))));
    // Full-range sources (JPEG-style phone video) become limited range like the encoder is told.
    const int colorspace = frame.colorspace == AVCOL_SPC_UNSPECIFIED ? SWS_CS_DEFAULT : int(frame.colorspace);
    const int *coefficients = sws_getCoefficients(colorspace);
    const int srcFullRange = frame.color_range == AVCOL_RANGE_JPEG ? 1 : 0;
    sws_setColorspaceDetails(m_scaler, coefficients, srcFullRange, coefficients, 0, 0, 1 << 16, 1 << 16);

    if (av_frame_make_writable(m_scaled.get()) < 0)
        return makeError(Error::Code::Internal, tr("out of memory"));
    sws_scale(m_scaler, frame.data, frame.linesize, 0, frame.height, m_scaled->data, m_scaled->linesize);

    AVFrame *toEncode = m_scaled.get();
    if (m_settings.rotationClockwise != 0) {
        if (!m_rotated->buf[0]) {
            m_rotated->format = AV_PIX_FMT_YUV420P;
            m_rotated->width = m_outputSize.width;
            m_rotated->height = m_outputSize.height;
            if (av_frame_get_buffer(m_rotated.get(), 0) < 0)
                return makeError(Error::Code::Internal, tr("out of memory"));
        }
        if (av_frame_make_writable(m_rotated.get()) < 0)
            return makeError(Error::Code::Internal, tr("out of memory"));
        rotateYuv420(*m_scaled, *m_rotated, m_settings.rotationClockwise);
        toEncode = m_rotated.get();
    }
    toEncode->pts = slot;
    toEncode->color_range = AVCOL_RANGE_MPEG;
    m_nextSlot = slot + 1;
    m_lastSlot = slot;
    if (Status st = encodeFrame(*toEncode); !st)
        return st;
    ++m_encodedFrames;
    if (m_settings.onPosition)
        m_settings.onPosition(double(slot) / av_q2d(m_outputRate));
    return Done{};
}

Status VideoTranscoder::encodeFrame(const AVFrame &frame)
{
    // Opened at the first picture, not before: a file none of whose pictures decode never starts
    // an encoder at all.
    if (!m_encoder.isOpen()) {
        if (Status st = openEncoder(); !st)
            return st;
    }
    return m_encoder.encode(frame, [this](AVPacket &packet) { return writePacket(packet); });
}

Status VideoTranscoder::writePacket(AVPacket &packet)
{
    // Each picture is shown for one output frame interval; without a duration the WebM would end
    // at the last frame's start and come out a frame short.
    if (packet.duration <= 0)
        packet.duration = 1;
    return m_writer->writePacket(packet, m_streamIndex, m_encoder.context().time_base);
}

Status VideoTranscoder::finish()
{
    if (Status st = m_pump.drain([this](AVFrame &frame) { return keepOrDrop(frame); }); !st)
        return st;
    return m_encoder.finish([this](AVPacket &packet) { return writePacket(packet); });
}

double VideoTranscoder::outputDuration() const
{
    return m_lastSlot < 0 ? 0.0 : double(m_lastSlot + 1) / av_q2d(m_outputRate);
}

} // namespace mt
