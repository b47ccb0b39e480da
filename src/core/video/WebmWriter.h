#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <QString>

#include <memory>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace mt {

// Writes a WebM file atomically: libavformat writes through a custom AVIOContext into a QSaveFile,
// i.e. a temporary file in the destination folder that is renamed over the destination only by
// finish(). Destroying the writer before that (cancel, error, exception in a caller) removes the
// temporary file, so no half-written clip is ever left behind.
class WebmWriter {
    Q_DECLARE_TR_FUNCTIONS(WebmWriter)
public:
    static Result<std::unique_ptr<WebmWriter>> create(const QString &path);
    ~WebmWriter();
    WebmWriter(const WebmWriter &) = delete;
    WebmWriter &operator=(const WebmWriter &) = delete;

    // Whether encoders must put their headers in extradata (AV_CODEC_FLAG_GLOBAL_HEADER).
    bool wantsGlobalHeader() const;
    // Adds a stream for an opened encoder; returns its index.
    Result<int> addStream(const AVCodecContext &encoder);
    Status writeHeader();
    // Takes ownership of the packet's data; `packet` timestamps are in `encoderTimeBase`.
    Status writePacket(AVPacket &packet, int streamIndex, AVRational encoderTimeBase);
    // Writes the trailer and renames the temporary file over the destination.
    Status finish();

private:
    WebmWriter() = default;
    static int writeCallback(void *opaque,
#if LIBAVFORMAT_VERSION_MAJOR >= 61
                             const uint8_t *buf,
#else
                             uint8_t *buf,
#endif
                             int size);
    static int64_t seekCallback(void *opaque, int64_t offset, int whence);

    QString m_path;
    QSaveFile m_file;
    AVIOContext *m_io = nullptr;
    AVFormatContext *m_format = nullptr;
    bool m_headerWritten = false;
};

} // namespace mt
