#include "metadata/VideoMetadataReader.h"

#include "common/FfmpegUtil.h"
#include "media/MediaBudget.h"
#include "metadata/Iso6709.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>
#include <initializer_list>

extern "C" {
#include <libavutil/dict.h>
}

namespace mt {

namespace {

QString tag(const AVDictionary *dict, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        if (const AVDictionaryEntry *e = av_dict_get(dict, key, nullptr, 0)) {
            const QString value = QString::fromUtf8(e->value).trimmed();
            if (!value.isEmpty())
                return value;
        }
    }
    return {};
}

// Apple's creationdate is local time with offset ("2019-03-21T11:04:22+0100"); creation_time is
// UTC ("2017-07-13T19:16:41.000000Z"). Years before 1971 are a zeroed header, not a date.
std::optional<CaptureTime> parseContainerTime(const QString &raw)
{
    if (raw.isEmpty())
        return std::nullopt;
    QString s = raw;
    // Qt wants "+01:00"; QuickTime often writes "+0100".
    static const QRegularExpression compactOffset(QStringLiteral("[+-]\\d{4}$"));
    if (compactOffset.match(s).hasMatch())
        s.insert(s.size() - 2, u':');
    QDateTime dt = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(s, Qt::ISODate);
    if (!dt.isValid() || dt.date().year() < 1971)
        return std::nullopt;
    CaptureTime t;
    t.source = CaptureTime::Source::Container;
    // A string without zone designator is ambiguous; ISO parsing then gives local time.
    t.zoneKnown = dt.timeSpec() != Qt::LocalTime;
    t.dateTime = dt;
    return t;
}

bool needsStreamProbe(const AVFormatContext *fmt)
{
    // The MP4/MOV demuxer fills codec parameters and frame rates from the sample tables; other
    // containers (and damaged headers) need avformat_find_stream_info.
    if (!fmt->iformat || !QByteArray(fmt->iformat->name).contains("mov"))
        return true;
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        const AVCodecParameters *par = fmt->streams[i]->codecpar;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO && (par->width <= 0 || par->codec_id == AV_CODEC_ID_NONE))
            return true;
        if (par->codec_type == AVMEDIA_TYPE_AUDIO && (par->sample_rate <= 0 || par->ch_layout.nb_channels <= 0))
            return true;
    }
    return false;
}

} // namespace

Result<MediaMetadata> VideoMetadataReader::read(const MediaItem &item, const CancellationToken &token)
{
    ff::quietLogging();
    auto input = ff::openInput(item.path, &token);
    if (!input)
        return input.error();
    AVFormatContext *fmt = input->get();
    if (needsStreamProbe(fmt)) {
        // A failure here still leaves the header fields; files with empty mdat land here.
        if (avformat_find_stream_info(fmt, nullptr) < 0 && token.isCancelled())
            return interruptedError(token);
    }

    const AVStream *videoStream = nullptr;
    const AVStream *audioStream = nullptr;
    int audioStreams = 0;
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        const AVStream *st = fmt->streams[i];
        if (st->disposition & AV_DISPOSITION_ATTACHED_PIC)
            continue; // cover art is not the video
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !videoStream)
            videoStream = st;
        if (st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
            ++audioStreams;
            if (!audioStream)
                audioStream = st;
        }
    }
    if (!videoStream)
        return makeError(Error::Code::UnsupportedFormat,
                         audioStream ? QCoreApplication::translate("VideoMetadataReader", "the file has sound but no picture (audio-only)")
                                     : QCoreApplication::translate("VideoMetadataReader", "the file contains no video stream"));

    MediaMetadata md;
    const AVCodecParameters *vpar = videoStream->codecpar;
    const int rotation = ff::displayRotationClockwise(videoStream);
    md.rotation = rotation;
    if (vpar->width > 0 && vpar->height > 0) {
        int w = vpar->width, h = vpar->height;
        const AVRational sar = vpar->sample_aspect_ratio;
        if (sar.num > 0 && sar.den > 0 && sar.num != sar.den)
            w = int(std::lround(double(w) * sar.num / sar.den));
        const bool quarterTurn = rotation == 90 || rotation == 270;
        md.width = quarterTurn ? h : w;
        md.height = quarterTurn ? w : h;
    }
    md.videoCodec = QString::fromLatin1(avcodec_get_name(vpar->codec_id));
    const AVRational rate = av_guess_frame_rate(fmt, const_cast<AVStream *>(videoStream), nullptr);
    if (rate.num > 0 && rate.den > 0)
        md.fps = av_q2d(rate);

    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        md.durationSeconds = double(fmt->duration) / AV_TIME_BASE;
    else if (videoStream->duration != AV_NOPTS_VALUE && videoStream->duration > 0)
        md.durationSeconds = double(videoStream->duration) * av_q2d(videoStream->time_base);
    if (fmt->bit_rate > 0)
        md.bitRate = fmt->bit_rate;

    md.audioStreamCount = audioStreams;
    if (audioStream) {
        md.audioCodec = QString::fromLatin1(avcodec_get_name(audioStream->codecpar->codec_id));
        if (audioStream->codecpar->sample_rate > 0)
            md.audioSampleRate = audioStream->codecpar->sample_rate;
        if (audioStream->codecpar->ch_layout.nb_channels > 0)
            md.audioChannels = audioStream->codecpar->ch_layout.nb_channels;
    }

    const AVDictionary *tags = fmt->metadata;
    md.make = tag(tags, {"com.apple.quicktime.make", "com.android.manufacturer", "make", "manufacturer"});
    md.model = tag(tags, {"com.apple.quicktime.model", "com.android.model", "model"});
    md.software = tag(tags, {"com.apple.quicktime.software", "software"});
    md.contentIdentifier = tag(tags, {"com.apple.quicktime.content.identifier"});
    if (md.software.isEmpty()) {
        const QString android = tag(tags, {"com.android.version"});
        md.software = android.isEmpty() ? tag(tags, {"encoder"})
                                        : QCoreApplication::translate("VideoMetadataReader", "Android %1").arg(android);
    }
    for (const AVDictionary *dict : {tags, static_cast<const AVDictionary *>(videoStream->metadata)}) {
        const QString location = tag(dict, {"com.apple.quicktime.location.ISO6709", "location", "location-eng"});
        if (auto pos = parseIso6709(location)) {
            md.gps = pos;
            break;
        }
    }
    // Apple's local creationdate survives edits that rewrite mvhd's creation_time.
    md.capturedAt = parseContainerTime(tag(tags, {"com.apple.quicktime.creationdate"}));
    if (!md.capturedAt)
        md.capturedAt = parseContainerTime(tag(tags, {"creation_time"}));
    if (!md.capturedAt)
        md.capturedAt = parseContainerTime(tag(videoStream->metadata, {"creation_time"}));
    return md;
}

} // namespace mt
