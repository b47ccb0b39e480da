#include "thumbs/HeifGridThumbnailer.h"

#include "media/MediaBudget.h"
#include "thumbs/HeifContainer.h"
#include "thumbs/HeifGridLayout.h"
#include "thumbs/HeifTileDecoder.h"
#include "thumbs/HeifTileScaler.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>
#include <QFile>
#include <QTransform>

#include <algorithm>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

// One tile's coded bytes; a 512 px tile is tens of KB, a whole 48 MP single picture a few MB.
constexpr qint64 kMaxTileBytes = 256 * 1024 * 1024;

YcbcrEncoding encodingOf(const HeifGridPlan &plan, const AVFrame &frame)
{
    // colr nclx wins over the bitstream's VUI, as in libheif; what neither says is BT.601 full
    // range, libheif's assumption for HEIC.
    if (plan.nclx && plan.nclx->matrixCoefficients != 2)
        return {plan.nclx->matrixCoefficients, plan.nclx->fullRange};
    YcbcrEncoding e;
    if (frame.colorspace != AVCOL_SPC_UNSPECIFIED)
        e.matrixCoefficients = int(frame.colorspace);
    e.fullRange = plan.nclx ? plan.nclx->fullRange : frame.color_range != AVCOL_RANGE_MPEG;
    return e;
}

QImage applyTransforms(QImage image, const std::vector<HeifTransform> &transforms)
{
    for (const HeifTransform &t : transforms) {
        if (t.kind == HeifTransform::Kind::RotateCcw && t.quarterTurns)
            image = image.transformed(QTransform().rotate(-90.0 * t.quarterTurns));
        else if (t.kind == HeifTransform::Kind::Mirror)
            image = image.mirrored(t.horizontal, !t.horizontal);
    }
    return image;
}

// Decodes every tile of `plan` into `scaler`; returns the YCbCr encoding the tiles declare.
Result<YcbcrEncoding> decodeTiles(QFile &file, const HeifContainer &container, const HeifGridPlan &plan,
                                  HeifTileScaler &scaler, const CancellationToken &token)
{
    auto decoder = HeifTileDecoder::open(plan.hvcC, plan.tiles.size() > 1);
    if (!decoder)
        return decoder.error();
    std::vector<bool> seen(plan.tiles.size(), false);
    YcbcrEncoding encoding;
    const HeifTileDecoder::FrameSink sink = [&](const AVFrame &frame, int index) -> Status {
        if (index < 0 || size_t(index) >= seen.size() || seen[size_t(index)])
            return makeError(Error::Code::Corrupt, tr("the HEVC decoder returned an unexpected tile"));
        seen[size_t(index)] = true;
        if (index == 0)
            encoding = encodingOf(plan, frame);
        const QPoint origin((index % plan.columns) * plan.tileSize.width(), (index / plan.columns) * plan.tileSize.height());
        return scaler.addTile(frame, origin, plan.tileSize);
    };
    for (size_t i = 0; i < plan.tiles.size(); ++i) {
        if (token.isCancelled())
            return interruptedError(token);
        auto data = container.itemData(file, *container.item(plan.tiles[i]), kMaxTileBytes);
        if (!data)
            return data.error();
        if (Status s = decoder->send(*data, int(i), sink); !s)
            return s.error();
    }
    if (Status s = decoder->finish(sink); !s)
        return s.error();
    if (std::find(seen.begin(), seen.end(), false) != seen.end())
        return makeError(Error::Code::Corrupt, tr("some HEIF tiles did not decode"));
    return encoding;
}

} // namespace

Result<QImage> HeifGridThumbnailer::thumbnail(const QString &path, int maxEdge, const CancellationToken &token)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, tr("cannot open %1: %2").arg(path, file.errorString()));
    auto container = HeifContainer::read(file);
    if (!container)
        return container.error();
    auto plan = HeifGridLayout::plan(*container, file);
    if (!plan)
        return plan.error();
    const QSize display = plan->displaySize();
    QSize target = fitWithin(display, maxEdge);
    if (target.isEmpty())
        return makeError(Error::Code::Corrupt, tr("the HEIF image has no size"));
    if (display != plan->cropWindow.size())
        target.transpose(); // shrink before rotating: the window is in stored orientation
    HeifTileScaler scaler(plan->outputSize, plan->cropWindow, target);
    if (!scaler.fits())
        return makeError(Error::Code::UnsupportedFormat, tr("the thumbnail is too small for tile decoding"));
    auto encoding = decodeTiles(file, *container, *plan, scaler, token);
    if (!encoding)
        return encoding.error();
    auto image = scaler.toImage(*encoding);
    if (!image)
        return image.error();
    return applyTransforms(std::move(image).value(), plan->transforms);
}

} // namespace mt
