#include "video/VideoCompressor.h"

#include "common/FfmpegUtil.h"
#include "video/AudioTranscoder.h"
#include "video/VideoTranscoder.h"
#include "video/WebmWriter.h"

#include <QFileInfo>

#include <algorithm>
#include <optional>

namespace mt {

namespace {

const AVStream *firstStream(const AVFormatContext &format, AVMediaType type)
{
    for (unsigned i = 0; i < format.nb_streams; ++i) {
        const AVStream *st = format.streams[i];
        if (st->codecpar->codec_type != type || st->codecpar->codec_id == AV_CODEC_ID_NONE)
            continue;
        // Cover art in audio files is a one-picture "video" stream; it is not a video.
        if (st->disposition & AV_DISPOSITION_ATTACHED_PIC)
            continue;
        return st;
    }
    return nullptr;
}

double declaredDuration(const AVFormatContext &format, const AVStream &video)
{
    if (format.duration > 0)
        return double(format.duration) / AV_TIME_BASE;
    if (video.duration > 0)
        return video.duration * av_q2d(video.time_base);
    return 0;
}

// The demuxer and the streams compress() uses.
struct Source {
    ff::InputPtr format;
    const AVStream *video = nullptr;
    const AVStream *audio = nullptr;
};

Error cancelledError()
{
    return makeError(Error::Code::Cancelled, QCoreApplication::translate("VideoCompressor", "compression cancelled"));
}

Result<Source> openSource(const QString &inputPath, const CancellationToken &token)
{
    ff::quietLogging();
    Result<ff::InputPtr> opened = ff::openInput(inputPath, &token);
    if (!opened) {
        if (opened.error().code == Error::Code::Corrupt)
            return makeError(Error::Code::Corrupt,
                             QCoreApplication::translate("VideoCompressor", "cannot open the video; the file is damaged or incomplete (%1)").arg(opened.error().message));
        return opened.error();
    }
    Source source;
    source.format = std::move(opened).value();
    AVFormatContext &format = *source.format;
    if (int rc = avformat_find_stream_info(&format, nullptr); rc < 0) {
        if (token.isCancelled())
            return cancelledError();
        return makeError(Error::Code::Corrupt,
                         QCoreApplication::translate("VideoCompressor", "cannot read the video's streams (%1); the file is probably damaged").arg(ff::errorString(rc)));
    }
    source.video = firstStream(format, AVMEDIA_TYPE_VIDEO);
    source.audio = firstStream(format, AVMEDIA_TYPE_AUDIO);
    if (!source.video) {
        if (source.audio)
            return makeError(Error::Code::UnsupportedFormat,
                             QCoreApplication::translate("VideoCompressor", "the file has sound but no pictures (audio only); there is no video to compress"));
        if (format.duration <= 0)
            return makeError(Error::Code::Empty, QCoreApplication::translate("VideoCompressor", "the video is empty (zero length); there is nothing to compress"));
        return makeError(Error::Code::UnsupportedFormat, QCoreApplication::translate("VideoCompressor", "the file contains no video track"));
    }
    // Only the first video and audio streams are used; don't let the demuxer hand out the rest.
    for (unsigned i = 0; i < format.nb_streams; ++i) {
        if (format.streams[i] != source.video && format.streams[i] != source.audio)
            format.streams[i]->discard = AVDISCARD_ALL;
    }
    return source;
}

} // namespace

QString VideoCompressor::partialOutputPath(const QString &outputPath)
{
    return WebmWriter::partialPath(outputPath);
}

Result<CompressionReport> VideoCompressor::compress(const QString &inputPath, const QString &outputPath,
                                                     const ProgressCallback &progress,
                                                     const CancellationToken &token) const
{
    if (token.isCancelled())
        return cancelledError();
    const QFileInfo inInfo(inputPath), outInfo(outputPath);
    if (outInfo.exists() && inInfo.exists() && inInfo.canonicalFilePath() == outInfo.canonicalFilePath())
        return makeError(Error::Code::InvalidArgument,
                         tr("the output would overwrite the original video; choose another output file"));

    Result<Source> source = openSource(inputPath, token);
    if (!source)
        return source.error();
    AVFormatContext &format = *source->format;
    const AVStream *video = source->video;
    const AVStream *audio = source->audio;

    CompressionReport report;
    report.outputPath = outputPath;
    report.sourceDurationSeconds = declaredDuration(format, *video);
    report.preset = m_profile.presetForDuration(report.sourceDurationSeconds);
    // Time zero is the first picture. Audio that starts a few ms earlier (AAC priming) then starts
    // at zero with it, instead of delaying every picture and lengthening the clip.
    int64_t originUs = format.start_time != AV_NOPTS_VALUE ? format.start_time : 0;
    if (video->start_time != AV_NOPTS_VALUE)
        originUs = av_rescale_q(video->start_time, video->time_base, AV_TIME_BASE_Q);

    // Declared before the transcoders so it outlives them: they write into it until the end.
    Result<std::unique_ptr<WebmWriter>> created = WebmWriter::create(outputPath);
    if (!created)
        return created.error();
    WebmWriter &writer = **created;

    const double total = report.sourceDurationSeconds;
    VideoTranscoder::Settings settings;
    settings.profile = m_profile;
    settings.preset = report.preset;
    settings.rotationClockwise = ff::displayRotationClockwise(video);
    settings.originUs = originUs;
    if (progress && total > 0) {
        // Reading ends before the encoder's look-ahead is flushed, so 1.0 is reported only at the end.
        settings.onPosition = [&progress, total](double seconds) { progress(std::clamp(seconds / total, 0.0, 0.99)); };
    }
    VideoTranscoder videoTranscoder;
    const AVRational guessedRate = av_guess_frame_rate(&format, const_cast<AVStream *>(video), nullptr);
    if (Status st = videoTranscoder.open(*video, guessedRate, std::move(settings), writer); !st)
        return st.error();

    std::optional<AudioTranscoder> audioTranscoder;
    if (audio) {
        audioTranscoder.emplace();
        if (Status st = audioTranscoder->open(*audio, m_profile, writer, originUs); !st) {
            // The pictures are what Gemini judges; an undecodable soundtrack should not cost them.
            audioTranscoder.reset();
            audio = nullptr;
            report.warning = tr("the sound was left out: %1").arg(st.error().message);
        }
    }
    report.hasAudio = audio != nullptr;

    Result<bool> readAll = transcodeAll(format, video, audio, videoTranscoder,
                                        audioTranscoder ? &*audioTranscoder : nullptr, token);
    if (!readAll)
        return readAll.error();
    if (token.isCancelled())
        return cancelledError();
    if (Status st = writer.finish(); !st)
        return st.error();
    report.incomplete = !*readAll;
    fillReport(report, videoTranscoder, audioTranscoder ? &*audioTranscoder : nullptr);
    if (progress)
        progress(1.0);
    return report;
}

Result<bool> VideoCompressor::transcodeAll(AVFormatContext &format, const AVStream *video, const AVStream *audio,
                                           VideoTranscoder &videoTranscoder, AudioTranscoder *audioTranscoder,
                                           const CancellationToken &token)
{
    ff::PacketPtr packet(av_packet_alloc());
    if (!packet)
        return makeError(Error::Code::Internal, tr("out of memory"));
    bool complete = true;
    for (;;) {
        if (token.isCancelled())
            return cancelledError();
        const int rc = av_read_frame(&format, packet.get());
        if (rc == AVERROR_EOF)
            break;
        if (rc < 0) {
            if (token.isCancelled())
                return cancelledError();
            // Truncated or unreadable from here on: keep what was read.
            complete = false;
            break;
        }
        Status st = Done{};
        if (packet->stream_index == video->index)
            st = videoTranscoder.sendPacket(*packet);
        else if (audio && packet->stream_index == audio->index)
            st = audioTranscoder->sendPacket(*packet);
        av_packet_unref(packet.get());
        if (!st)
            return st.error();
    }

    if (Status st = videoTranscoder.finish(); !st)
        return st.error();
    if (videoTranscoder.encodedFrames() == 0) {
        if (declaredDuration(format, *video) <= 0 && videoTranscoder.skippedPackets() == 0)
            return makeError(Error::Code::Empty, tr("the video is empty (zero length); there is nothing to compress"));
        return makeError(Error::Code::Corrupt,
                         tr("no picture in the video could be decoded; the file is damaged or incomplete"));
    }
    if (audioTranscoder) {
        if (Status st = audioTranscoder->finish(); !st)
            return st.error();
    }
    return complete;
}

void VideoCompressor::fillReport(CompressionReport &report, const VideoTranscoder &videoTranscoder,
                                 const AudioTranscoder *audioTranscoder)
{
    report.outputBytes = QFileInfo(report.outputPath).size();
    report.width = videoTranscoder.outputSize().width;
    report.height = videoTranscoder.outputSize().height;
    report.frameRate = av_q2d(videoTranscoder.outputFrameRate());
    report.durationSeconds = videoTranscoder.outputDuration();
    report.decodedFrames = videoTranscoder.decodedFrames();
    report.encodedFrames = videoTranscoder.encodedFrames();
    report.skippedPackets = videoTranscoder.skippedPackets() + (audioTranscoder ? audioTranscoder->skippedPackets() : 0);
    report.incomplete = report.incomplete
                        || (report.sourceDurationSeconds > 0
                            && report.durationSeconds < 0.9 * report.sourceDurationSeconds - 0.5);
    if (report.incomplete) {
        const QString note = tr("the file ends early (truncated or damaged); compressed %1 s of %2 s")
                                 .arg(report.durationSeconds, 0, 'f', 1)
                                 .arg(report.sourceDurationSeconds, 0, 'f', 1);
        report.warning = report.warning.isEmpty() ? note : report.warning + QStringLiteral("; ") + note;
    } else if (report.skippedPackets > 0 && report.warning.isEmpty()) {
        report.warning = tr("%n damaged packet(s) were skipped", nullptr, report.skippedPackets);
    }
}

} // namespace mt
