#pragma once

#include "common/FfmpegUtil.h"
#include "common/Result.h"

#include <functional>

namespace mt {

// Feeds demuxed packets to one decoder and hands every decoded frame to a sink. Damaged data is
// counted and skipped rather than failing the stream: a corrupt packet costs a moment of picture
// or sound, not the whole clip; the decoder resynchronises at the next good frame.
class DecodePump {
public:
    // Returning an error from the sink stops the pump and is passed back to the caller.
    using FrameSink = std::function<Status(AVFrame &frame)>;

    Status attach(AVCodecContext *decoder);
    Status send(const AVPacket &packet, const FrameSink &sink);
    // End of input: everything still buffered in the decoder goes to the sink.
    Status drain(const FrameSink &sink);

    int skippedPackets() const { return m_skipped; }
    int decodedFrames() const { return m_decoded; }

private:
    Status receive(const FrameSink &sink);

    AVCodecContext *m_decoder = nullptr;
    ff::FramePtr m_frame;
    int m_skipped = 0;
    int m_decoded = 0;
    bool m_drained = false;
};

} // namespace mt
