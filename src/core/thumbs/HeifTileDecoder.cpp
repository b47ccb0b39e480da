#include "thumbs/HeifTileDecoder.h"

#include <QCoreApplication>

#include <cstring>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

Error decodeError(int rc)
{
    return makeError(Error::Code::Corrupt, tr("cannot decode a HEIF tile: %1").arg(ff::errorString(rc)));
}

} // namespace

Result<HeifTileDecoder> HeifTileDecoder::open(const QByteArray &hvcC, bool parallelTiles)
{
    const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_HEVC);
    if (!codec)
        return makeError(Error::Code::UnsupportedFormat, tr("this FFmpeg build has no HEVC decoder"));
    HeifTileDecoder d;
    d.m_codec.reset(avcodec_alloc_context3(codec));
    d.m_packet.reset(av_packet_alloc());
    d.m_frame.reset(av_frame_alloc());
    if (!d.m_codec || !d.m_packet || !d.m_frame || hvcC.isEmpty())
        return makeError(Error::Code::Internal, tr("cannot set up the HEVC decoder"));
    // FFmpeg's HEVC decoder reads an hvcC record as extradata and takes NAL lengths from it.
    d.m_codec->extradata = static_cast<uint8_t *>(av_mallocz(size_t(hvcC.size()) + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!d.m_codec->extradata)
        return makeError(Error::Code::Internal, tr("cannot set up the HEVC decoder"));
    std::memcpy(d.m_codec->extradata, hvcC.constData(), size_t(hvcC.size()));
    d.m_codec->extradata_size = int(hvcC.size());
    d.m_codec->thread_count = 0; // one per core
    // Tiles are independent pictures: frame threads decode several at once. One big picture
    // can only be split by its wavefronts/slices.
    d.m_codec->thread_type = parallelTiles ? FF_THREAD_FRAME : FF_THREAD_SLICE;
    if (const int rc = avcodec_open2(d.m_codec.get(), codec, nullptr); rc < 0)
        return decodeError(rc);
    return d;
}

Status HeifTileDecoder::send(const QByteArray &tile, int index, const FrameSink &sink)
{
    av_packet_unref(m_packet.get());
    if (const int rc = av_new_packet(m_packet.get(), int(tile.size())); rc < 0)
        return decodeError(rc);
    std::memcpy(m_packet->data, tile.constData(), size_t(tile.size()));
    m_packet->pts = index; // comes back on the frame: frame threads may finish out of order
    m_packet->flags |= AV_PKT_FLAG_KEY;
    for (;;) {
        const int rc = avcodec_send_packet(m_codec.get(), m_packet.get());
        if (rc >= 0)
            break;
        if (rc != AVERROR(EAGAIN))
            return decodeError(rc);
        if (Status s = drain(sink); !s) // the decoder is full: take frames out, then retry
            return s;
    }
    return drain(sink);
}

Status HeifTileDecoder::finish(const FrameSink &sink)
{
    if (const int rc = avcodec_send_packet(m_codec.get(), nullptr); rc < 0 && rc != AVERROR_EOF)
        return decodeError(rc);
    return drain(sink);
}

Status HeifTileDecoder::drain(const FrameSink &sink)
{
    for (;;) {
        const int rc = avcodec_receive_frame(m_codec.get(), m_frame.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return Done{};
        if (rc < 0)
            return decodeError(rc);
        const int index = int(m_frame->pts);
        Status s = sink(*m_frame, index);
        av_frame_unref(m_frame.get());
        if (!s)
            return s;
    }
}

} // namespace mt
