#include "thumbs/HeifThumbnailer.h"

#include "common/HeifUtil.h"
#include "media/MediaBudget.h"
#include "thumbs/HeifGridThumbnailer.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>

#include <libheif/heif.h>

#include <memory>
#include <vector>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

struct DecodingOptionsDeleter {
    void operator()(heif_decoding_options *o) const { heif_decoding_options_free(o); }
};

QSize handleSize(heif_image_handle *handle)
{
    return QSize(heif_image_handle_get_width(handle), heif_image_handle_get_height(handle));
}

bool isPortrait(QSize s) { return s.height() > s.width(); }

// The smallest embedded thumbnail whose longest edge reaches `needed`, if any.
HeifHandlePtr usableThumbnail(heif_image_handle *primary, int needed)
{
    const int count = heif_image_handle_get_number_of_thumbnails(primary);
    if (count <= 0)
        return {};
    std::vector<heif_item_id> ids(static_cast<size_t>(count));
    heif_image_handle_get_list_of_thumbnail_IDs(primary, ids.data(), count);
    HeifHandlePtr best;
    for (heif_item_id id : ids) {
        heif_image_handle *raw = nullptr;
        if (heif_image_handle_get_thumbnail(primary, id, &raw).code != heif_error_Ok)
            continue;
        HeifHandlePtr candidate(raw);
        const QSize s = handleSize(raw);
        // A thumbnail stored without the primary's rotation would come out sideways; skip it.
        if (std::max(s.width(), s.height()) < needed || isPortrait(s) != isPortrait(handleSize(primary)))
            continue;
        if (!best || s.width() < handleSize(best.get()).width())
            best = std::move(candidate);
    }
    return best;
}

Result<QImage> decode(heif_image_handle *handle)
{
    std::unique_ptr<heif_decoding_options, DecodingOptionsDeleter> options(heif_decoding_options_alloc());
    // 10-bit HEIC (newer phones' HDR stills) comes out as 8-bit RGB like everything else.
    options->convert_hdr_to_8bit = 1;
    const bool alpha = heif_image_handle_has_alpha_channel(handle);
    heif_image *raw = nullptr;
    const heif_error err = heif_decode_image(handle, &raw, heif_colorspace_RGB,
                                             alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                                             options.get());
    HeifImagePtr image(raw);
    if (err.code != heif_error_Ok || !raw)
        return makeError(Error::Code::Corrupt, tr("cannot decode the HEIF image: %1").arg(heifErrorMessage(err)));
    int stride = 0;
    const uint8_t *pixels = heif_image_get_plane_readonly(raw, heif_channel_interleaved, &stride);
    // The decoded size can differ from the handle's (odd sizes are padded), so ask the image.
    const int width = heif_image_get_width(raw, heif_channel_interleaved);
    const int height = heif_image_get_height(raw, heif_channel_interleaved);
    if (!pixels || width <= 0 || height <= 0)
        return makeError(Error::Code::Corrupt, tr("the HEIF image decoded to no pixels"));
    return QImage(pixels, width, height, stride, alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888)
        .convertToFormat(alpha ? QImage::Format_ARGB32 : QImage::Format_RGB32);
}

} // namespace

Result<QImage> HeifThumbnailer::thumbnail(const QString &path, int maxEdge, const CancellationToken &token) const
{
    auto file = HeifFile::open(path);
    if (!file)
        return file.error();
    auto primary = (*file)->primaryImage();
    if (!primary)
        return primary.error();
    const QSize target = fitWithin(handleSize(primary->get()), maxEdge);
    if (target.isEmpty())
        return makeError(Error::Code::Corrupt, tr("the HEIF image has no size"));
    if (token.isCancelled())
        return interruptedError(token);

    HeifHandlePtr thumbnail = usableThumbnail(primary->get(), std::max(target.width(), target.height()));
    if (!thumbnail && !heif_image_handle_has_alpha_channel(primary->get())) {
        // Tile by tile into the small image: fast and bounded in memory. Whatever it refuses or
        // fails on (or sizes differently from libheif) goes the libheif way below.
        auto tiled = HeifGridThumbnailer::thumbnail(path, maxEdge, token);
        if (tiled && tiled->size() == target)
            return tiled;
        if (token.isCancelled())
            return interruptedError(token);
    }
    auto decoded = decode(thumbnail ? thumbnail.get() : primary->get());
    if (!decoded && thumbnail)
        decoded = decode(primary->get()); // a broken thumbnail item must not hide a good image
    if (!decoded)
        return decoded.error();
    if (token.isCancelled())
        return interruptedError(token);
    // Scale to the primary's aspect: a thumbnail item or padded decode may be rounded differently.
    QImage image = std::move(decoded).value();
    if (image.size() != target)
        image = image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return image;
}

} // namespace mt
