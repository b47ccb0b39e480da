#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "platform/CFileAccess.h"

#include <QString>

#include <memory>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
}

namespace mt::ff {

// Closes an input. libavformat leaves a caller's own AVIOContext (AVFMT_FLAG_CUSTOM_IO) to the
// caller, so whoever installed one names the function that frees it.
struct InputDeleter {
    void (*releaseIo)(AVIOContext *) = nullptr;
    void operator()(AVFormatContext *c) const;
};
struct CodecDeleter { void operator()(AVCodecContext *c) const { avcodec_free_context(&c); } };
struct FrameDeleter { void operator()(AVFrame *f) const { av_frame_free(&f); } };
struct PacketDeleter { void operator()(AVPacket *p) const { av_packet_free(&p); } };

using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

QString errorString(int averror);

// Opens a media file for demuxing. The token (if given) aborts blocking I/O through libavformat's
// interrupt callback; it must outlive the returned context. `access` says how libavformat reaches
// the file: the platform's way unless a test asks for the other.
Result<InputPtr> openInput(const QString &path, const CancellationToken *token = nullptr,
                           CFileAccess access = cFileAccess());

// How a decoder spreads its work over the cores.
enum class DecoderThreads {
    Default,          // FFmpeg's default (one thread for most codecs); audio
    Slices,           // every core, no added latency: grabbing a single frame
    FramesAndSlices,  // every core, a frame of latency per thread: decoding a whole stream
};

// Finds, configures and opens the decoder for `stream` (codec parameters and packet time base
// copied from it). The error says which codec is missing or why it would not open.
Result<CodecPtr> openDecoder(const AVStream &stream, DecoderThreads threads = DecoderThreads::Default);

// Clockwise rotation (0, 90, 180, 270) a player applies to the stream, from its display matrix.
int displayRotationClockwise(const AVStream *stream);

// FFmpeg logs to stderr by default; the CLI and tests want errors only, as values.
void quietLogging();

} // namespace mt::ff
