#pragma once

#include "common/FfmpegUtil.h"
#include "common/Result.h"
#include "video/CompressionProfile.h"
#include "video/DecodePump.h"
#include "video/FlushingEncoder.h"

#include <QCoreApplication>

#include <memory>

extern "C" {
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
}

namespace mt {

class WebmWriter;

// Decodes one audio stream and re-encodes it as Opus mono at 48 kHz (the only rate Opus encodes
// natively at full band). Opus wants frames of exactly frame_size samples while decoders hand out
// whatever they have, so resampled audio goes through an AVAudioFifo.
class AudioTranscoder {
    Q_DECLARE_TR_FUNCTIONS(AudioTranscoder)
public:
    AudioTranscoder() = default;
    ~AudioTranscoder();
    AudioTranscoder(const AudioTranscoder &) = delete;
    AudioTranscoder &operator=(const AudioTranscoder &) = delete;

    // Opens decoder and encoder and adds the output stream to `writer`. `originUs` is the input's
    // start time in AV_TIME_BASE units; output timestamps are relative to it.
    Status open(const AVStream &input, const CompressionProfile &profile, WebmWriter &writer, int64_t originUs);
    // Feeds one demuxed packet; damaged packets are skipped, not fatal.
    Status sendPacket(const AVPacket &packet);
    // Drains decoder, resampler, FIFO and encoder.
    Status finish();

    int skippedPackets() const { return m_pump.skippedPackets(); }

private:
    Status encodeDecoded(AVFrame &frame);
    Status resampleIntoFifo(const AVFrame *frame);
    Status encodeFromFifo(bool flushing);
    Status writePacket(AVPacket &packet);
    Status configureResampler(const AVFrame &frame);

    ff::CodecPtr m_decoder;
    FlushingEncoder m_encoder;
    DecodePump m_pump;
    SwrContext *m_resampler = nullptr;
    AVAudioFifo *m_fifo = nullptr;
    WebmWriter *m_writer = nullptr;
    int m_streamIndex = -1;
    AVRational m_inputTimeBase{0, 1};
    int64_t m_originUs = 0;
    // Input parameters the resampler was set up for; a mid-stream change rebuilds it.
    int m_inRate = 0;
    int m_inFormat = -1;
    AVChannelLayout m_inLayout{};
    // Output position in samples at 48 kHz; the next encoded frame starts here.
    int64_t m_nextPts = AV_NOPTS_VALUE;
};

} // namespace mt
