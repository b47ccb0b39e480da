#pragma once

#include "common/FfmpegUtil.h"
#include "common/Result.h"
#include "video/CompressionProfile.h"
#include "video/DecodePump.h"
#include "video/FlushingEncoder.h"
#include "video/FrameGeometry.h"

#include <QCoreApplication>

#include <functional>

struct SwsContext;

namespace mt {

class WebmWriter;

// Decodes one video stream and re-encodes it as upright AV1 (SVT-AV1) at the profile's size and
// frame rate. The frame-rate reduction decides from a decoded frame's timestamp alone whether
// the frame is kept, so dropped frames never reach the scaler or the rotation. The encoder opens at
// the first kept picture and is always flushed before it is freed (FlushingEncoder).
class VideoTranscoder {
    Q_DECLARE_TR_FUNCTIONS(VideoTranscoder)
public:
    struct Settings {
        CompressionProfile profile;
        int preset = 8;
        int rotationClockwise = 0;
        // Input start time in AV_TIME_BASE units; output timestamps are relative to it.
        int64_t originUs = 0;
        // Called with the output position in seconds after each kept frame.
        std::function<void(double)> onPosition;
    };

    VideoTranscoder() = default;
    ~VideoTranscoder();
    VideoTranscoder(const VideoTranscoder &) = delete;
    VideoTranscoder &operator=(const VideoTranscoder &) = delete;

    // Opens the decoder and reserves the WebM stream; the encoder waits for the first picture.
    Status open(const AVStream &input, AVRational guessedFrameRate, Settings settings, WebmWriter &writer);
    // Feeds one demuxed packet; damaged packets are counted and skipped.
    Status sendPacket(const AVPacket &packet);
    Status finish();

    Size2 outputSize() const { return m_outputSize; }
    AVRational outputFrameRate() const { return m_outputRate; }
    int encodedFrames() const { return m_encodedFrames; }
    int decodedFrames() const { return m_pump.decodedFrames(); }
    int skippedPackets() const { return m_pump.skippedPackets(); }
    // Output duration in seconds: last kept frame plus its display time.
    double outputDuration() const;

private:
    Status keepOrDrop(AVFrame &frame);
    Status convertAndEncode(const AVFrame &frame, int64_t slot);
    Status openEncoder();
    Status encodeFrame(const AVFrame &frame);
    Status writePacket(AVPacket &packet);

    Settings m_settings;
    ff::CodecPtr m_decoder;
    FlushingEncoder m_encoder;
    DecodePump m_pump;
    ff::FramePtr m_scaled;   // encoder-sized before rotation (dimensions swapped for 90/270)
    ff::FramePtr m_rotated;  // upright, encoder-sized
    SwsContext *m_scaler = nullptr;
    WebmWriter *m_writer = nullptr;
    int m_streamIndex = -1;
    AVRational m_inputTimeBase{0, 1};
    AVRational m_outputRate{5, 1};
    Size2 m_outputSize;
    AVColorPrimaries m_colorPrimaries = AVCOL_PRI_UNSPECIFIED;
    AVColorTransferCharacteristic m_colorTransfer = AVCOL_TRC_UNSPECIFIED;
    AVColorSpace m_colorSpace = AVCOL_SPC_UNSPECIFIED;
    // Next free output slot (frame index at the output rate); frames landing on a filled slot
    // are dropped before conversion.
    int64_t m_nextSlot = 0;
    int64_t m_lastSlot = -1;
    int m_encodedFrames = 0;
};

} // namespace mt
