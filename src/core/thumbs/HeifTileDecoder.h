#pragma once

#include "common/FfmpegUtil.h"
#include "common/Result.h"

#include <QByteArray>

#include <functional>

namespace mt {

// Decodes a HEIF image's HEVC tiles with FFmpeg's native decoder, in-process. All tiles share
// one configuration (the hvcC record, given as extradata), so one decoder context takes them as
// successive packets; with frame threading every core decodes a tile at once. A tile's bytes
// in the file are already what the decoder wants: length-prefixed NAL units.
class HeifTileDecoder {
public:
    // Receives each decoded tile with the index it was sent with.
    using FrameSink = std::function<Status(const AVFrame &frame, int index)>;

    // `parallelTiles`: more than one tile will follow, so decode several at once.
    static Result<HeifTileDecoder> open(const QByteArray &hvcC, bool parallelTiles);

    Status send(const QByteArray &tile, int index, const FrameSink &sink);
    // Drains the frames still in flight.
    Status finish(const FrameSink &sink);

private:
    Status drain(const FrameSink &sink);

    ff::CodecPtr m_codec;
    ff::PacketPtr m_packet;
    ff::FramePtr m_frame;
};

} // namespace mt
