#include "video/DecodePump.h"

#include <QCoreApplication>

namespace mt {

Status DecodePump::attach(AVCodecContext *decoder)
{
    m_decoder = decoder;
    m_frame.reset(av_frame_alloc());
    if (!m_frame)
        return makeError(Error::Code::Internal, QCoreApplication::translate("DecodePump", "out of memory"));
    return Done{};
}

Status DecodePump::send(const AVPacket &packet, const FrameSink &sink)
{
    const int rc = avcodec_send_packet(m_decoder, &packet);
    if (rc < 0 && rc != AVERROR(EAGAIN)) {
        ++m_skipped;
        return Done{};
    }
    return receive(sink);
}

Status DecodePump::receive(const FrameSink &sink)
{
    for (;;) {
        const int rc = avcodec_receive_frame(m_decoder, m_frame.get());
        if (rc == AVERROR_EOF)
            m_drained = true;
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return Done{};
        if (rc < 0) {
            ++m_skipped;
            return Done{};
        }
        ++m_decoded;
        Status st = sink(*m_frame);
        av_frame_unref(m_frame.get());
        if (!st)
            return st;
    }
}

Status DecodePump::drain(const FrameSink &sink)
{
    avcodec_send_packet(m_decoder, nullptr);
    // A frame-threaded decoder can report a broken frame in the middle of its backlog; keep
    // draining past it (bounded, in case a decoder keeps failing the same way).
    for (int attempt = 0; !m_drained && attempt < 1000; ++attempt) {
        if (Status st = receive(sink); !st)
            return st;
    }
    return Done{};
}

} // namespace mt
