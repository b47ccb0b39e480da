#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "video/CompressionProfile.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

struct AVFormatContext;
struct AVStream;

namespace mt {

class AudioTranscoder;
class VideoTranscoder;

// What a finished compression produced.
struct CompressionReport {
    QString outputPath;
    qint64 outputBytes = 0;
    int width = 0;
    int height = 0;
    double frameRate = 0;
    double durationSeconds = 0;       // of the output
    double sourceDurationSeconds = 0; // as the container declares it
    int preset = 0;
    bool hasAudio = false;
    int decodedFrames = 0;            // pictures decoded from the source
    int encodedFrames = 0;            // of those, kept by the frame-rate limit (only these are scaled)
    int skippedPackets = 0;           // damaged packets that were left out
    bool incomplete = false;          // the input ended early (truncated file, read error)
    QString warning;                  // for a person, empty when all went well
};

// Compresses a video for upload to Gemini: AV1 (SVT-AV1) + Opus in WebM, per CompressionProfile,
// entirely in-process with the FFmpeg libraries. Synchronous; call it from a worker thread.
// The output appears only once complete: cancellation or failure leaves nothing at `outputPath`
// (it is written as WebmWriter::partialPath(outputPath) until then). Damaged input never hangs:
// the AV1 encoder opens at the first decoded picture and is always flushed before it is freed.
class VideoCompressor {
    Q_DECLARE_TR_FUNCTIONS(VideoCompressor)
public:
    using ProgressCallback = std::function<void(double fraction)>;

    explicit VideoCompressor(CompressionProfile profile = {}) : m_profile(profile) {}

    const CompressionProfile &profile() const { return m_profile; }

    // Where the output is written until it is complete; a process killed mid-way (not cancelled)
    // leaves this file, which its caller may remove.
    static QString partialOutputPath(const QString &outputPath);

    // `progress` gets 0..1 on the calling thread; `token` stops the work between packets.
    Result<CompressionReport> compress(const QString &inputPath, const QString &outputPath,
                                       const ProgressCallback &progress = {},
                                       const CancellationToken &token = CancellationToken()) const;

private:
    // Demuxes and transcodes to the end; the value says whether the input was read to its end.
    static Result<bool> transcodeAll(AVFormatContext &format, const AVStream *video, const AVStream *audio,
                                     VideoTranscoder &videoTranscoder, AudioTranscoder *audioTranscoder,
                                     const CancellationToken &token);
    static void fillReport(CompressionReport &report, const VideoTranscoder &videoTranscoder,
                           const AudioTranscoder *audioTranscoder);

    CompressionProfile m_profile;
};

} // namespace mt
