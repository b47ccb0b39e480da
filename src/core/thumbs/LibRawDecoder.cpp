#include "thumbs/LibRawDecoder.h"

#include "media/MediaBudget.h"
#include "thumbs/BayerBinning.h"
#include "thumbs/LibRawFileStream.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>

#include <libraw/libraw.h>

#include <memory>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

// What LibRaw reports through its callbacks while it works.
struct DecodeWatch {
    const CancellationToken *token = nullptr;
    bool dataError = false;
    qint64 errorOffset = -1;
};

int onProgress(void *context, enum LibRaw_progress, int, int)
{
    // Non-zero asks LibRaw to stop (it returns LIBRAW_CANCELLED_BY_CALLBACK).
    return static_cast<DecodeWatch *>(context)->token->isCancelled() ? 1 : 0;
}

#if LIBRAW_COMPILE_CHECK_VERSION_NOTLESS(0, 21)
using DataErrorOffset = INT64;
#else
using DataErrorOffset = int; // 0.20 (Debian 12) passes the offset as int
#endif

void onDataError(void *context, const char *, const DataErrorOffset offset)
{
    // Without this LibRaw prints to stderr and carries on with zeros for the missing data.
    auto *watch = static_cast<DecodeWatch *>(context);
    watch->dataError = true;
    watch->errorOffset = offset;
}

struct ProcessedImageDeleter {
    void operator()(libraw_processed_image_t *image) const { LibRaw::dcraw_clear_mem(image); }
};

Error libRawError(int code, const CancellationToken &token)
{
    if (code == LIBRAW_CANCELLED_BY_CALLBACK)
        return interruptedError(token);
    return makeError(code == LIBRAW_FILE_UNSUPPORTED ? Error::Code::UnsupportedFormat : Error::Code::Corrupt,
                     tr("LibRaw cannot decode the RAW data: %1").arg(QString::fromUtf8(libraw_strerror(code))));
}

Result<QImage> toQImage(const libraw_processed_image_t &image, int maxEdge)
{
    if (image.type != LIBRAW_IMAGE_BITMAP || image.colors != 3 || image.bits != 8 || image.width == 0 || image.height == 0)
        return makeError(Error::Code::Corrupt, tr("LibRaw produced no usable picture"));
    const QImage view(image.data, image.width, image.height, int(image.width) * 3, QImage::Format_RGB888);
    const QSize target = fitWithin(view.size(), maxEdge);
    QImage out = target == view.size() ? view.copy() : view.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return out.convertToFormat(QImage::Format_RGB32);
}

} // namespace

Result<QImage> LibRawDecoder::decode(const QString &path, int maxEdge, const CancellationToken &token) const
{
    LibRawFileStream file(path); // outlives `raw`, which reads from it
    if (!file.isOpen())
        return makeError(Error::Code::Io, tr("cannot open the RAW file: %1").arg(file.errorString()));
    // LibRaw objects are several hundred KB: never on the stack.
    auto raw = std::make_unique<LibRaw>(LIBRAW_OPTIONS_NONE);
    DecodeWatch watch{&token};
    raw->set_progress_handler(onProgress, &watch);
    raw->set_dataerror_handler(onDataError, &watch);
    raw->imgdata.params.use_camera_wb = 1;
    raw->imgdata.params.output_bps = 8;
    int rc = raw->open_datastream(&file);
    if (rc != LIBRAW_SUCCESS)
        return libRawError(rc, token);
    const QSize full(raw->imgdata.sizes.width, raw->imgdata.sizes.height);
    if (full.isEmpty())
        return makeError(Error::Code::Corrupt, tr("LibRaw cannot decode the RAW data: it declares no picture size"));
    // A RAW file missing its image data (cut short, or a metadata-only copy) still opens, and
    // LibRaw would "decode" whatever lies there. No camera compresses below a bit per pixel.
    const qint64 rawPixels = qint64(raw->imgdata.sizes.raw_width) * raw->imgdata.sizes.raw_height;
    if (file.size() < rawPixels / 8)
        return makeError(Error::Code::Corrupt, tr("LibRaw cannot decode the RAW data: the file (%1 bytes) is far too small "
                                                  "for a %2×%3 picture, its image data is missing")
                                                   .arg(qint64(file.size())).arg(full.width()).arg(full.height()));
    raw->imgdata.params.half_size = std::max(full.width(), full.height()) / 2 >= maxEdge ? 1 : 0;
    rc = raw->unpack();
    // A Bayer RAW binned straight from its sensor data: no half-size RGB copy, a third of the memory.
    if (rc == LIBRAW_SUCCESS && !watch.dataError && raw->imgdata.params.half_size) {
        if (auto binned = BayerBinning::thumbnail(*raw, maxEdge)) {
            if (token.isCancelled())
                return interruptedError(token);
            return *binned;
        }
    }
    if (rc == LIBRAW_SUCCESS && !watch.dataError)
        rc = raw->dcraw_process();
    if (watch.dataError)
        return makeError(Error::Code::Corrupt, tr("LibRaw cannot decode the RAW data: it is cut short or damaged near byte %1")
                                                   .arg(watch.errorOffset));
    if (rc != LIBRAW_SUCCESS)
        return libRawError(rc, token);
    std::unique_ptr<libraw_processed_image_t, ProcessedImageDeleter> image(raw->dcraw_make_mem_image(&rc));
    if (!image || rc != LIBRAW_SUCCESS)
        return libRawError(rc, token);
    return toQImage(*image, maxEdge);
}

} // namespace mt
