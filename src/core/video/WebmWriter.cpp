#include "video/WebmWriter.h"

#include "common/FfmpegUtil.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace mt {

namespace {
constexpr int kIoBufferSize = 64 * 1024;
}

QString WebmWriter::partialPath(const QString &path)
{
    return path + QStringLiteral(".part");
}

Result<std::unique_ptr<WebmWriter>> WebmWriter::create(const QString &path)
{
    std::unique_ptr<WebmWriter> writer(new WebmWriter);
    writer->m_path = path;
    writer->m_file.setFileName(partialPath(path));
    if (!writer->m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        const QString folder = QDir::toNativeSeparators(QFileInfo(path).absolutePath());
        return makeError(Error::Code::Io, tr("cannot write the compressed video into %1: %2")
                                              .arg(folder, writer->m_file.errorString()));
    }
    if (avformat_alloc_output_context2(&writer->m_format, nullptr, "webm", nullptr) < 0 || !writer->m_format)
        return makeError(Error::Code::Internal, tr("this FFmpeg build cannot write WebM files"));

    auto *buffer = static_cast<unsigned char *>(av_malloc(kIoBufferSize));
    if (!buffer)
        return makeError(Error::Code::Internal, tr("out of memory"));
    writer->m_io = avio_alloc_context(buffer, kIoBufferSize, 1, writer.get(), nullptr, &WebmWriter::writeCallback,
                                      &WebmWriter::seekCallback);
    if (!writer->m_io) {
        av_free(buffer);
        return makeError(Error::Code::Internal, tr("out of memory"));
    }
    writer->m_format->pb = writer->m_io;
    writer->m_format->flags |= AVFMT_FLAG_CUSTOM_IO;
    return writer;
}

WebmWriter::~WebmWriter()
{
    if (m_format) {
        m_format->pb = nullptr;
        avformat_free_context(m_format);
    }
    if (m_io) {
        // libavformat may have replaced the buffer, so free the one it holds now.
        av_freep(&m_io->buffer);
        avio_context_free(&m_io);
    }
    if (!m_committed && m_file.isOpen()) {
        m_file.close();
        m_file.remove();
    }
}

bool WebmWriter::wantsGlobalHeader() const
{
    return m_format->oformat->flags & AVFMT_GLOBALHEADER;
}

Result<int> WebmWriter::addStream(const AVCodecContext &encoder)
{
    Result<int> index = reserveStream();
    if (!index)
        return index;
    if (Status st = describeStream(*index, encoder); !st)
        return st.error();
    return index;
}

Result<int> WebmWriter::reserveStream()
{
    AVStream *stream = avformat_new_stream(m_format, nullptr);
    if (!stream)
        return makeError(Error::Code::Internal, tr("out of memory"));
    m_described.push_back(false);
    return stream->index;
}

Status WebmWriter::describeStream(int index, const AVCodecContext &encoder)
{
    AVStream *stream = m_format->streams[index];
    const int rc = avcodec_parameters_from_context(stream->codecpar, &encoder);
    if (rc < 0)
        return makeError(Error::Code::Internal, tr("cannot set up the WebM stream: %1").arg(ff::errorString(rc)));
    stream->time_base = encoder.time_base;
    if (encoder.codec_type == AVMEDIA_TYPE_VIDEO)
        stream->avg_frame_rate = encoder.framerate;
    m_described[size_t(index)] = true;
    return Done{};
}

Status WebmWriter::writeHeaderAndPending()
{
    const int rc = avformat_write_header(m_format, nullptr);
    if (rc < 0)
        return makeError(Error::Code::Io, tr("cannot write the WebM header: %1").arg(ff::errorString(rc)));
    m_headerWritten = true;
    std::vector<PendingPacket> pending = std::move(m_pending);
    m_pending.clear();
    for (PendingPacket &p : pending) {
        if (Status st = writeNow(*p.packet, p.streamIndex, p.timeBase); !st)
            return st;
    }
    return Done{};
}

Status WebmWriter::writePacket(AVPacket &packet, int streamIndex, AVRational encoderTimeBase)
{
    const bool allDescribed = std::all_of(m_described.begin(), m_described.end(), [](bool d) { return d; });
    if (!m_headerWritten && allDescribed) {
        if (Status st = writeHeaderAndPending(); !st)
            return st;
    }
    if (m_headerWritten)
        return writeNow(packet, streamIndex, encoderTimeBase);
    ff::PacketPtr kept(av_packet_alloc());
    if (!kept)
        return makeError(Error::Code::Internal, tr("out of memory"));
    av_packet_move_ref(kept.get(), &packet);
    m_pending.push_back({std::move(kept), streamIndex, encoderTimeBase});
    return Done{};
}

Status WebmWriter::writeNow(AVPacket &packet, int streamIndex, AVRational encoderTimeBase)
{
    packet.stream_index = streamIndex;
    av_packet_rescale_ts(&packet, encoderTimeBase, m_format->streams[streamIndex]->time_base);
    const int rc = av_interleaved_write_frame(m_format, &packet);
    if (rc < 0)
        return makeError(Error::Code::Io, tr("cannot write the compressed video: %1").arg(ff::errorString(rc)));
    return Done{};
}

Status WebmWriter::finish()
{
    const bool allDescribed = std::all_of(m_described.begin(), m_described.end(), [](bool d) { return d; });
    if (!m_headerWritten && allDescribed && !m_pending.empty()) {
        if (Status st = writeHeaderAndPending(); !st)
            return st;
    }
    if (!m_headerWritten)
        return makeError(Error::Code::Internal, tr("nothing was written"));
    int rc = av_write_trailer(m_format);
    if (rc >= 0) {
        avio_flush(m_io);
        rc = m_io->error;
    }
    if (rc < 0)
        return makeError(Error::Code::Io, tr("cannot finish the compressed video: %1").arg(ff::errorString(rc)));
    if (!m_file.flush())
        return makeError(Error::Code::Io, tr("cannot save %1: %2")
                                              .arg(QDir::toNativeSeparators(m_path), m_file.errorString()));
    m_file.close();
    // std::filesystem::rename replaces an existing destination in one step on every platform,
    // where QFile::rename refuses to.
    std::error_code ec;
    std::filesystem::rename(std::filesystem::path(m_file.fileName().toStdU16String()),
                            std::filesystem::path(m_path.toStdU16String()), ec);
    if (ec) {
        m_file.remove();
        return makeError(Error::Code::Io, tr("cannot save %1: %2")
                                              .arg(QDir::toNativeSeparators(m_path), QString::fromStdString(ec.message())));
    }
    m_committed = true;
    return Done{};
}

int WebmWriter::writeCallback(void *opaque,
#if LIBAVFORMAT_VERSION_MAJOR >= 61
                              const uint8_t *buf,
#else
                              uint8_t *buf,
#endif
                              int size)
{
    auto *self = static_cast<WebmWriter *>(opaque);
    const qint64 written = self->m_file.write(reinterpret_cast<const char *>(buf), size);
    return written == size ? size : AVERROR(EIO);
}

int64_t WebmWriter::seekCallback(void *opaque, int64_t offset, int whence)
{
    auto *self = static_cast<WebmWriter *>(opaque);
    QFile &file = self->m_file;
    whence &= ~AVSEEK_FORCE;
    if (whence == AVSEEK_SIZE)
        return file.size();
    qint64 target = offset;
    if (whence == SEEK_CUR)
        target += file.pos();
    else if (whence == SEEK_END)
        target += file.size();
    else if (whence != SEEK_SET)
        return AVERROR(EINVAL);
    return file.seek(target) ? target : AVERROR(EIO);
}

} // namespace mt
