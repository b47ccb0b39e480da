#pragma once

#include "common/Cancellation.h"
#include "common/FfmpegUtil.h"
#include "common/Result.h"

#include <QByteArrayView>

#include <memory>

namespace mt {

// libavformat reading from bytes already in memory (or mapped) through a custom AVIOContext:
// the video inside a Motion Photo is demuxed where it lies, with no temporary file. The bytes
// must outlive the input.
class MemoryMediaInput {
public:
    static Result<std::unique_ptr<MemoryMediaInput>> open(QByteArrayView bytes, const CancellationToken *token = nullptr);
    MemoryMediaInput(const MemoryMediaInput &) = delete;
    MemoryMediaInput &operator=(const MemoryMediaInput &) = delete;

    AVFormatContext *format() const { return m_format.get(); }

    // Opens, reads the stream headers and returns the duration in seconds.
    static Result<double> probeDurationSeconds(QByteArrayView bytes);

private:
    explicit MemoryMediaInput(QByteArrayView bytes) : m_bytes(bytes) {}
    static int readPacket(void *opaque, uint8_t *buffer, int size);
    static int64_t seek(void *opaque, int64_t offset, int whence);

    QByteArrayView m_bytes;
    qint64 m_position = 0;
    ff::InputPtr m_format; // frees the I/O context reading m_bytes too
};

} // namespace mt
