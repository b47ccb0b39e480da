#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace mt {

struct GpsPosition {
    double latitude = 0;  // signed decimal degrees, north positive
    double longitude = 0; // signed decimal degrees, east positive
    std::optional<double> altitude; // metres above sea level
};

// When the picture was taken. `dateTime` carries its zone when the file says it: an offset
// (OffsetTimeOriginal, Apple's creationdate), UTC (MP4 creation_time), or none (plain EXIF, the
// local wall clock of the camera, kept as Qt::LocalTime and printed without zone).
struct CaptureTime {
    enum class Source { Exif, ExifDigitized, Container, FileTime };
    QDateTime dateTime;
    Source source = Source::Exif;
    bool zoneKnown = false;

    // ISO 8601; with offset or Z only when the zone is known.
    QString toIso() const;
};

// The moving part of a still: the clip next to a Live Photo, or the MP4 inside a Motion Photo.
struct MotionPart {
    enum class Kind { LivePhoto, MotionPhoto };
    Kind kind = Kind::MotionPhoto;
    QString clipPath;      // the file holding the clip: the photo itself for a Motion Photo
    qint64 clipOffset = 0; // where the clip starts in that file
    qint64 clipLength = 0; // its bytes
    std::optional<double> durationSeconds;
    QString error;         // announced but unusable (a file cut short, a bad offset)
};

// Everything we read about a file. Fields not present in the file stay empty.
struct MediaMetadata {
    // Both kinds
    std::optional<int> width;  // as displayed (after EXIF orientation / irot / display matrix)
    std::optional<int> height;
    std::optional<CaptureTime> capturedAt;
    std::optional<GpsPosition> gps;
    QString make;
    QString model;
    QString software;

    // Photos
    std::optional<int> orientation; // EXIF 1..8
    QString lens;
    std::optional<int> iso;
    std::optional<double> fNumber;
    std::optional<double> exposureTime; // seconds
    std::optional<double> focalLength;  // mm
    std::optional<double> focalLength35mm;
    std::optional<MotionPart> motion;

    // Videos
    std::optional<int> rotation; // clockwise degrees a player applies
    std::optional<double> durationSeconds;
    std::optional<double> fps;
    QString videoCodec;
    std::optional<qint64> bitRate; // bits per second, whole file
    QString audioCodec;
    std::optional<int> audioSampleRate;
    std::optional<int> audioChannels;
    std::optional<int> audioStreamCount;

    // Capture identity: what ties files of one moment together (groups, Live Photos).
    std::optional<int> subsecondMs; // EXIF SubSecTimeOriginal, as milliseconds
    QString burstUuid;              // Apple MakerNote BurstUUID
    QString contentIdentifier;      // Live Photo: the still's MakerNote ContentIdentifier, the clip's
                                    // com.apple.quicktime.content.identifier
    int exifFieldCount = 0;         // how much EXIF the file carries (a stripped copy has little)
};

// "1/250 s" for short exposures, "2.5 s" for long ones.
QString formatExposureTime(double seconds);

} // namespace mt
