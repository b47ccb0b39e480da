#pragma once

#include "common/Result.h"

#include <QFile>
#include <QString>

#include <memory>

struct heif_context;
struct heif_image_handle;
struct heif_image;
struct heif_error;

namespace mt {

struct HeifHandleDeleter { void operator()(heif_image_handle *h) const; };
struct HeifImageDeleter { void operator()(heif_image *i) const; };
using HeifHandlePtr = std::unique_ptr<heif_image_handle, HeifHandleDeleter>;
using HeifImagePtr = std::unique_ptr<heif_image, HeifImageDeleter>;

// An opened HEIF/HEIC/AVIF container. The file is memory-mapped through QFile (so non-ASCII
// paths work on every platform) and libheif parses it without copying; the mapping lives as long
// as this object.
class HeifFile {
public:
    static Result<std::unique_ptr<HeifFile>> open(const QString &path);
    ~HeifFile();
    HeifFile(const HeifFile &) = delete;
    HeifFile &operator=(const HeifFile &) = delete;

    heif_context *context() const { return m_ctx; }
    Result<HeifHandlePtr> primaryImage() const;

    // The primary image's Exif block, without libheif's 4-byte offset header and the "Exif\0\0"
    // prefix, ready for Exiv2::ExifParser; empty when the file has none.
    QByteArray primaryExif() const;

private:
    HeifFile() = default;
    QFile m_file;
    heif_context *m_ctx = nullptr;
};

// libheif must be initialised once per process before use (plugins load there); idempotent.
void ensureHeifInitialised();

// Raises libheif's security limits (where the version lets us) to what real phone files need:
// recent iPhones write hundreds of items and iref references and grids of many tiles, which
// stricter defaults reject as if they were attacks. Call before reading a file into `ctx`.
void applyPhoneFileLimits(heif_context *ctx);

// True when this libheif build can decode AV1-compressed HEIF (AVIF).
bool heifCanDecodeAvif();

QString heifErrorMessage(const heif_error &err);

} // namespace mt
