#include "metadata/MetadataFormatter.h"


#include <QFileInfo>
#include <QLocale>
#include <QStringList>

#include <cmath>

namespace mt {

namespace {

QString fixed(double v, int decimals) { return QString::number(v, 'f', decimals); }

QString trimmedNumber(double v)
{
    // 1.8 not 1.80, 4 not 4.0
    return QString::number(v, 'g', 4);
}

QString cameraName(const MediaMetadata &md)
{
    // Many cameras repeat the make in the model ("Canon" + "Canon EOS R5").
    if (md.make.isEmpty())
        return md.model;
    if (md.model.startsWith(md.make, Qt::CaseInsensitive))
        return md.model;
    return (md.make + u' ' + md.model).trimmed();
}

QString dateForPrompt(const CaptureTime &t)
{
    QString s = t.dateTime.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (t.zoneKnown) {
        const int off = t.dateTime.offsetFromUtc();
        s += QStringLiteral(" (UTC%1%2:%3)")
                 .arg(QChar(off < 0 ? u'-' : u'+'))
                 .arg(std::abs(off) / 3600, 2, 10, QLatin1Char('0'))
                 .arg(std::abs(off) % 3600 / 60, 2, 10, QLatin1Char('0'));
    }
    if (t.source == CaptureTime::Source::FileTime)
        s += QStringLiteral(" [file time, not from the camera]");
    return s;
}

QString mapUrl(const GpsPosition &p)
{
    return QStringLiteral("https://www.openstreetmap.org/?mlat=%1&mlon=%2#map=16/%1/%2")
        .arg(fixed(p.latitude, 6), fixed(p.longitude, 6));
}

} // namespace

QString MetadataFormatter::formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString MetadataFormatter::formatDuration(double seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(QString::number(seconds, 'f', 1));
    const qint64 total = qint64(std::lround(seconds));
    const qint64 h = total / 3600, m = total % 3600 / 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString MetadataFormatter::promptBlock(int number, const MediaItem &item, const MediaMetadata &md, PromptOptions options)
{
    QStringList lines;
    lines << QStringLiteral("%1. %2").arg(number).arg(item.fileName);
    QString type = QStringLiteral("%1 (%2)").arg(kindName(item.kind), item.mime);
    if (md.width && md.height)
        type += QStringLiteral(", %1x%2").arg(*md.width).arg(*md.height);
    lines << QStringLiteral("   type: ") + type;
    if (md.capturedAt)
        lines << QStringLiteral("   captured: ") + dateForPrompt(*md.capturedAt);
    QStringList camera;
    if (const QString name = cameraName(md); !name.isEmpty())
        camera << name;
    if (!md.lens.isEmpty())
        camera << md.lens;
    if (md.exposureTime)
        camera << formatExposureTime(*md.exposureTime);
    if (md.fNumber)
        camera << QStringLiteral("f/") + trimmedNumber(*md.fNumber);
    if (md.iso)
        camera << QStringLiteral("ISO %1").arg(*md.iso);
    if (md.focalLength)
        camera << trimmedNumber(*md.focalLength) + QStringLiteral(" mm");
    if (!camera.isEmpty())
        lines << QStringLiteral("   camera: ") + camera.join(QStringLiteral(", "));
    if (item.kind == MediaKind::Video) {
        QStringList video;
        if (md.durationSeconds)
            video << QStringLiteral("duration %1 s").arg(fixed(*md.durationSeconds, 1));
        if (md.fps)
            video << QStringLiteral("%1 fps").arg(trimmedNumber(*md.fps));
        if (!md.videoCodec.isEmpty())
            video << md.videoCodec;
        video << (md.audioCodec.isEmpty() ? QStringLiteral("no audio") : QStringLiteral("audio ") + md.audioCodec);
        lines << QStringLiteral("   video: ") + video.join(QStringLiteral(", "));
    }
    if (options.includeLocation && md.gps)
        lines << QStringLiteral("   location: %1, %2").arg(fixed(md.gps->latitude, 5), fixed(md.gps->longitude, 5));
    return lines.join(u'\n');
}

QString MetadataFormatter::motionText(const MotionPart &motion)
{
    if (!motion.error.isEmpty())
        return tr("Motion Photo, but its video cannot be used: %1").arg(motion.error);
    const QString duration = motion.durationSeconds ? formatDuration(*motion.durationSeconds) : tr("unknown length");
    if (motion.kind == MotionPart::Kind::LivePhoto)
        return tr("Live Photo, %1 clip %2").arg(duration, QFileInfo(motion.clipPath).fileName());
    return tr("Motion Photo, %1 video inside the file").arg(duration);
}

QList<MetadataGroup> MetadataFormatter::paneGroups(const MediaItem &item, const Result<MediaMetadata> &result)
{
    QList<MetadataGroup> groups;
    const QLocale locale;

    MetadataGroup file{tr("File"), {}};
    file.rows << MetadataRow{tr("Name"), item.fileName, {}};
    file.rows << MetadataRow{tr("Folder"), QFileInfo(item.path).absolutePath(), {}};
    file.rows << MetadataRow{tr("Type"), item.mime, {}};
    file.rows << MetadataRow{tr("Size"), formatBytes(item.sizeBytes), {}};
    if (item.modified.isValid())
        file.rows << MetadataRow{tr("Modified"), locale.toString(item.modified, QLocale::ShortFormat), {}};
    for (const QString &companion : item.companions)
        file.rows << MetadataRow{tr("Also saved as"), QFileInfo(companion).fileName(), {}};
    if (!result)
        file.rows << MetadataRow{tr("Problem"), result.error().message, {}};
    groups << file;
    if (!result)
        return groups;
    const MediaMetadata &md = *result;

    MetadataGroup image{item.kind == MediaKind::Photo ? tr("Image") : tr("Video"), {}};
    if (md.width && md.height)
        image.rows << MetadataRow{tr("Dimensions"), tr("%1 × %2").arg(*md.width).arg(*md.height), {}};
    if (md.orientation && *md.orientation != 1)
        image.rows << MetadataRow{tr("Orientation"), tr("EXIF %1").arg(*md.orientation), {}};
    if (md.rotation && *md.rotation != 0)
        image.rows << MetadataRow{tr("Rotation"), tr("%1° clockwise").arg(*md.rotation), {}};
    if (md.durationSeconds)
        image.rows << MetadataRow{tr("Duration"), formatDuration(*md.durationSeconds), {}};
    if (md.fps)
        image.rows << MetadataRow{tr("Frame rate"), tr("%1 fps").arg(trimmedNumber(*md.fps)), {}};
    if (!md.videoCodec.isEmpty())
        image.rows << MetadataRow{tr("Codec"), md.videoCodec, {}};
    if (md.bitRate)
        image.rows << MetadataRow{tr("Bit rate"), tr("%1 kb/s").arg(*md.bitRate / 1000), {}};
    if (md.motion)
        image.rows << MetadataRow{tr("Motion"), motionText(*md.motion), {}};
    if (!image.rows.isEmpty())
        groups << image;

    if (item.kind == MediaKind::Video) {
        MetadataGroup audio{tr("Audio"), {}};
        if (md.audioCodec.isEmpty()) {
            audio.rows << MetadataRow{tr("Audio"), tr("none"), {}};
        } else {
            audio.rows << MetadataRow{tr("Codec"), md.audioCodec, {}};
            if (md.audioSampleRate)
                audio.rows << MetadataRow{tr("Sample rate"), tr("%1 Hz").arg(*md.audioSampleRate), {}};
            if (md.audioChannels)
                audio.rows << MetadataRow{tr("Channels"), QString::number(*md.audioChannels), {}};
            if (md.audioStreamCount && *md.audioStreamCount > 1)
                audio.rows << MetadataRow{tr("Tracks"), QString::number(*md.audioStreamCount), {}};
        }
        groups << audio;
    }

    MetadataGroup capture{tr("Capture"), {}};
    if (md.capturedAt) {
        QString when = locale.toString(md.capturedAt->dateTime, QLocale::LongFormat);
        if (!md.capturedAt->zoneKnown)
            when = locale.toString(md.capturedAt->dateTime, QStringLiteral("dddd d MMMM yyyy HH:mm:ss"));
        capture.rows << MetadataRow{tr("Taken"), when, {}};
        if (md.capturedAt->source == CaptureTime::Source::FileTime)
            capture.rows << MetadataRow{tr("Date source"), tr("file modification time (the file has no capture date)"), {}};
    }
    if (const QString name = cameraName(md); !name.isEmpty())
        capture.rows << MetadataRow{tr("Camera"), name, {}};
    if (!md.lens.isEmpty())
        capture.rows << MetadataRow{tr("Lens"), md.lens, {}};
    if (md.exposureTime)
        capture.rows << MetadataRow{tr("Exposure"), formatExposureTime(*md.exposureTime), {}};
    if (md.fNumber)
        capture.rows << MetadataRow{tr("Aperture"), QStringLiteral("f/") + trimmedNumber(*md.fNumber), {}};
    if (md.iso)
        capture.rows << MetadataRow{tr("ISO"), QString::number(*md.iso), {}};
    if (md.focalLength) {
        QString fl = tr("%1 mm").arg(trimmedNumber(*md.focalLength));
        if (md.focalLength35mm)
            fl += tr(" (%1 mm in 35 mm terms)").arg(trimmedNumber(*md.focalLength35mm));
        capture.rows << MetadataRow{tr("Focal length"), fl, {}};
    }
    if (!md.software.isEmpty())
        capture.rows << MetadataRow{tr("Software"), md.software, {}};
    if (!capture.rows.isEmpty())
        groups << capture;

    if (md.gps) {
        MetadataGroup location{tr("Location"), {}};
        location.rows << MetadataRow{tr("Latitude"), fixed(md.gps->latitude, 6), {}};
        location.rows << MetadataRow{tr("Longitude"), fixed(md.gps->longitude, 6), {}};
        if (md.gps->altitude)
            location.rows << MetadataRow{tr("Altitude"), tr("%1 m").arg(fixed(*md.gps->altitude, 1)), {}};
        location.rows << MetadataRow{tr("Map"), tr("Open in map"), mapUrl(*md.gps)};
        groups << location;
    }
    return groups;
}

} // namespace mt
