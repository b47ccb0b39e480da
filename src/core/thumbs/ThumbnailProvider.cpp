#include "thumbs/ThumbnailProvider.h"

#include "media/MediaType.h"
#include "thumbs/ThumbnailGenerator.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>
#include <QImageReader>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

} // namespace

bool ThumbnailProvider::isLastingFailure(const Error &error)
{
    switch (error.code) {
    case Error::Code::Corrupt:
    case Error::Code::Empty:
    case Error::Code::UnsupportedFormat:
        return true;
    default:
        return false;
    }
}

Result<Thumbnail> ThumbnailProvider::get(const QString &path, int size, const CancellationToken &token, Pixels pixels) const
{
    if (!isStandardThumbnailSize(size))
        return makeError(Error::Code::InvalidArgument,
                         tr("%1 px is not a thumbnail size of the shared cache (128, 256, 512 or 1024)").arg(size));
    const auto source = SourceFile::stat(path);
    if (!source)
        return makeError(Error::Code::NotFound, tr("file not found"));

    if (const auto hit = m_cache.find(*source, size)) {
        Thumbnail thumb{hit->file, hit->size, {}, true};
        if (pixels == Pixels::Load) {
            QImageReader reader(hit->file, "png");
            if (reader.read(&thumb.image))
                return thumb;
            // Unreadable despite valid headers (e.g. truncated by a crash elsewhere): redo it.
        } else {
            return thumb;
        }
    }
    if (const auto failure = m_cache.failure(*source))
        return makeError(Error::Code::Corrupt, *failure);

    QImage image;
    if (auto larger = m_cache.findLarger(*source, size)) {
        image = std::move(*larger);
    } else {
        // A file gets the thumbnail budget its headers claim; past it, the file is the likely
        // culprit and the grid moves on (not cached as a failure: it may have been the load).
        auto generated = ThumbnailGenerator::generateWithinBudget(inspectFile(path), size, token);
        if (!generated) {
            if (!isLastingFailure(generated.error()))
                return generated.error();
            // Remembering the failure only saves a retry; if it cannot be remembered, say so.
            if (Status remembered = m_cache.storeFailure(*source, generated.error().message); !remembered)
                return makeError(generated.error().code, tr("%1 (not remembered: %2)")
                                                              .arg(generated.error().message, remembered.error().message));
            return generated.error();
        }
        image = std::move(generated).value();
    }
    auto stored = m_cache.store(*source, size, image);
    if (!stored)
        return stored.error();
    return Thumbnail{*stored, image.size(), std::move(image), false};
}

} // namespace mt
