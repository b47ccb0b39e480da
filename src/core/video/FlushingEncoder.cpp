#include "video/FlushingEncoder.h"

extern "C" {
#include <libavutil/imgutils.h>
}

namespace mt {

namespace {
// An encoder that keeps answering EAGAIN after end-of-stream is broken; stop asking.
constexpr int kMaxDrainPackets = 100000;
}

FlushingEncoder::~FlushingEncoder()
{
    closeDiscarding();
}

Status FlushingEncoder::open(ff::CodecPtr context, const AVCodec &codec, const QString &what)
{
    m_what = what;
    m_context = std::move(context);
    m_packet.reset(av_packet_alloc());
    if (!m_context || !m_packet)
        return makeError(Error::Code::Internal, tr("out of memory"));
    if (const int rc = avcodec_open2(m_context.get(), &codec, nullptr); rc < 0)
        return makeError(Error::Code::Internal, tr("cannot start the %1 encoder: %2").arg(what, ff::errorString(rc)));
    m_open = true;
    return Done{};
}

Status FlushingEncoder::encode(const AVFrame &frame, const PacketSink &sink)
{
    return send(&frame, sink);
}

Status FlushingEncoder::finish(const PacketSink &sink)
{
    if (!m_open || m_eosSent)
        return Done{};
    if (m_framesSent == 0) {
        // Nothing was encoded, so there is nothing to write; only the close is owed.
        closeDiscarding();
        return Done{};
    }
    return send(nullptr, sink);
}

Status FlushingEncoder::send(const AVFrame *frame, const PacketSink &sink)
{
    if (!m_open || m_eosSent)
        return makeError(Error::Code::Internal, tr("the %1 encoder is closed").arg(m_what));
    const int rc = avcodec_send_frame(m_context.get(), frame);
    if (!frame)
        m_eosSent = true;
    else if (rc >= 0)
        ++m_framesSent;
    if (rc < 0 && rc != AVERROR_EOF)
        return makeError(Error::Code::Internal, tr("the %1 encoder failed: %2").arg(m_what, ff::errorString(rc)));
    return receive(sink);
}

Status FlushingEncoder::receive(const PacketSink &sink)
{
    for (int n = 0; n < kMaxDrainPackets; ++n) {
        const int rc = avcodec_receive_packet(m_context.get(), m_packet.get());
        if (rc == AVERROR_EOF)
            m_drained = true;
        if (rc == AVERROR_EOF || (rc == AVERROR(EAGAIN) && !m_eosSent))
            return Done{};
        if (rc < 0)
            return makeError(Error::Code::Internal, tr("the %1 encoder failed: %2").arg(m_what, ff::errorString(rc)));
        Status st = sink(*m_packet);
        av_packet_unref(m_packet.get());
        if (!st)
            return st;
    }
    return Done{};
}

void FlushingEncoder::sendBlankPicture()
{
    if (m_context->codec_type != AVMEDIA_TYPE_VIDEO)
        return;
    ff::FramePtr blank(av_frame_alloc());
    if (!blank)
        return;
    blank->format = m_context->pix_fmt;
    blank->width = m_context->width;
    blank->height = m_context->height;
    blank->pts = 0;
    if (av_frame_get_buffer(blank.get(), 0) < 0)
        return;
    ptrdiff_t linesizes[4];
    for (int i = 0; i < 4; ++i)
        linesizes[i] = blank->linesize[i];
    av_image_fill_black(blank->data, linesizes, AVPixelFormat(blank->format), AVCOL_RANGE_MPEG, blank->width,
                        blank->height);
    if (avcodec_send_frame(m_context.get(), blank.get()) >= 0)
        ++m_framesSent;
}

void FlushingEncoder::closeDiscarding() noexcept
{
    if (m_open && !m_drained) {
        const PacketSink discard = [](AVPacket &) -> Status { return Done{}; };
        if (!m_eosSent && m_framesSent == 0)
            sendBlankPicture();
        if (!m_eosSent)
            (void)send(nullptr, discard);
        else
            (void)receive(discard);
    }
    m_open = false;
    m_context.reset();
}

} // namespace mt
