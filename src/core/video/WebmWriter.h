#pragma once

#include "common/FfmpegUtil.h"
#include "common/Result.h"

#include <QCoreApplication>
#include <QFile>
#include <QString>

#include <memory>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace mt {

// Writes a WebM file atomically: libavformat writes through a custom AVIOContext into the partial
// file `partialPath(path)` next to the destination, which finish() renames over the destination.
// Destroying the writer before that (cancel, error, exception in a caller) removes the partial
// file, so no half-written clip is left behind; its name is fixed so that a process killed
// before any destructor runs (the CLI's forced exit on a signal) can remove it too.
//
// The header is written with the first packet once every stream is described, so a stream whose
// encoder opens late (at its first decoded picture) is reserved first and described then;
// packets of other streams that arrive before that wait in memory.
class WebmWriter {
    Q_DECLARE_TR_FUNCTIONS(WebmWriter)
public:
    static Result<std::unique_ptr<WebmWriter>> create(const QString &path);
    // Where the output is written until it is complete.
    static QString partialPath(const QString &path);
    ~WebmWriter();
    WebmWriter(const WebmWriter &) = delete;
    WebmWriter &operator=(const WebmWriter &) = delete;

    // Whether encoders must put their headers in extradata (AV_CODEC_FLAG_GLOBAL_HEADER).
    bool wantsGlobalHeader() const;
    // Adds a stream for an opened encoder; returns its index.
    Result<int> addStream(const AVCodecContext &encoder);
    // Adds a stream whose encoder is not open yet; describeStream() completes it.
    Result<int> reserveStream();
    Status describeStream(int index, const AVCodecContext &encoder);
    // Takes ownership of the packet's data; `packet` timestamps are in `encoderTimeBase`.
    Status writePacket(AVPacket &packet, int streamIndex, AVRational encoderTimeBase);
    // Writes the trailer and renames the partial file over the destination.
    Status finish();

private:
    WebmWriter() = default;
    Status writeHeaderAndPending();
    Status writeNow(AVPacket &packet, int streamIndex, AVRational encoderTimeBase);
    static int writeCallback(void *opaque,
#if LIBAVFORMAT_VERSION_MAJOR >= 61
                             const uint8_t *buf,
#else
                             uint8_t *buf,
#endif
                             int size);
    static int64_t seekCallback(void *opaque, int64_t offset, int whence);

    struct PendingPacket {
        ff::PacketPtr packet;
        int streamIndex;
        AVRational timeBase;
    };

    QString m_path;
    QFile m_file;
    std::vector<PendingPacket> m_pending;
    std::vector<bool> m_described;
    bool m_committed = false;
    AVIOContext *m_io = nullptr;
    AVFormatContext *m_format = nullptr;
    bool m_headerWritten = false;
};

} // namespace mt
