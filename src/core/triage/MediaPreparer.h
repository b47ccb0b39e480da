#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/MediaItem.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <memory>

namespace mt {

// A file made ready for Gemini: small, in a format Gemini reads, without EXIF/GPS. Photos travel
// inline; videos are written to a file for the Files API.
struct PreparedMedia {
    QString mimeType;
    QByteArray inlineData; // photos
    QString uploadPath;    // videos: a file in the run's work folder
    qint64 bytes = 0;      // what goes over the wire (before base64)
};

// Photo path: the thumbnail engine's scaled decode can replace this implementation.
class PhotoPreparer {
public:
    virtual ~PhotoPreparer() = default;
    virtual Result<PreparedMedia> prepare(const MediaItem &item, const CancellationToken &token) const = 0;
};

// Video path: compression to AV1/Opus WebM by default.
class VideoPreparer {
public:
    virtual ~VideoPreparer() = default;
    virtual Result<PreparedMedia> prepare(const MediaItem &item, const QString &workDir,
                                          const CancellationToken &token) const = 0;
};

// Decodes at reduced size (QImageReader's scaled decode, DCT-domain for JPEG; libheif for
// HEIC/HEIF, which already applies the rotation), bounds the longest edge, and writes a fresh
// JPEG: only pixels are copied, so no EXIF, GPS or comments survive.
class DownscalingPhotoPreparer : public PhotoPreparer {
    Q_DECLARE_TR_FUNCTIONS(DownscalingPhotoPreparer)
public:
    explicit DownscalingPhotoPreparer(int maxEdge = 1920, int jpegQuality = 85)
        : m_maxEdge(maxEdge), m_quality(jpegQuality) {}
    Result<PreparedMedia> prepare(const MediaItem &item, const CancellationToken &token) const override;

private:
    int m_maxEdge;
    int m_quality;
};

// mt::VideoCompressor (AV1 + Opus WebM, ≤ 768 px, ≤ 5 fps, metadata not copied).
class CompressingVideoPreparer : public VideoPreparer {
    Q_DECLARE_TR_FUNCTIONS(CompressingVideoPreparer)
public:
    Result<PreparedMedia> prepare(const MediaItem &item, const QString &workDir,
                                  const CancellationToken &token) const override;
};

// Chooses the path by kind.
class MediaPreparer {
public:
    MediaPreparer(std::shared_ptr<const PhotoPreparer> photos, std::shared_ptr<const VideoPreparer> videos)
        : m_photos(std::move(photos)), m_videos(std::move(videos)) {}
    static MediaPreparer makeDefault();

    Result<PreparedMedia> prepare(const MediaItem &item, const QString &workDir, const CancellationToken &token) const;

private:
    std::shared_ptr<const PhotoPreparer> m_photos;
    std::shared_ptr<const VideoPreparer> m_videos;
};

} // namespace mt
