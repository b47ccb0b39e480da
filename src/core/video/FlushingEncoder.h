#pragma once

#include "common/FfmpegUtil.h"
#include "common/Result.h"

#include <QCoreApplication>

#include <functional>

namespace mt {

// An opened encoder that always gets its end-of-stream and is drained before it is freed, on
// every exit path (error, cancel, exception, early return). SVT-AV1 1.4 blocks forever in its
// deinit when freed without end-of-stream ("deinit called without sending EOS!"), and also when
// it gets end-of-stream without ever having had a picture; so when no frame was sent, closing
// feeds one black picture first. What comes out while closing early is thrown away.
class FlushingEncoder {
    Q_DECLARE_TR_FUNCTIONS(FlushingEncoder)
public:
    using PacketSink = std::function<Status(AVPacket &packet)>;

    FlushingEncoder() = default;
    ~FlushingEncoder();
    FlushingEncoder(const FlushingEncoder &) = delete;
    FlushingEncoder &operator=(const FlushingEncoder &) = delete;

    // Opens `context` (configured by the caller) with `codec`; `what` names the encoder in errors.
    Status open(ff::CodecPtr context, const AVCodec &codec, const QString &what);
    bool isOpen() const { return m_open; }
    const AVCodecContext &context() const { return *m_context; }

    // Sends one frame and hands every packet that comes out to `sink`.
    Status encode(const AVFrame &frame, const PacketSink &sink);
    // End of stream: everything still buffered goes to `sink`; nothing can be sent afterwards.
    Status finish(const PacketSink &sink);

private:
    Status send(const AVFrame *frame, const PacketSink &sink);
    Status receive(const PacketSink &sink);
    // For a video encoder that never had a picture: a black one, so its end-of-stream completes.
    void sendBlankPicture();
    void closeDiscarding() noexcept;

    ff::CodecPtr m_context;
    ff::PacketPtr m_packet;
    QString m_what;
    bool m_open = false;
    bool m_eosSent = false;
    bool m_drained = false;
    int m_framesSent = 0;
};

} // namespace mt
