// heif-tiles-bench SIZE OUTDIR FILE...: HeifThumbnailer (tile path, libheif fallback) on each
// file, written as OUTDIR/<file name>.png; exits non-zero and says why when any file fails.
#include "common/FfmpegUtil.h"
#include "common/HeifUtil.h"
#include "thumbs/HeifThumbnailer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fprintf(stderr, "usage: heif-tiles-bench SIZE OUTDIR FILE...\n");
        return 2;
    }
    mt::ff::quietLogging();
    mt::ensureHeifInitialised();
    const int size = args[1].toInt();
    const QDir out(args[2]);
    int failed = 0;
    for (const QString &path : args.mid(3)) {
        auto image = mt::HeifThumbnailer().thumbnail(path, size, mt::CancellationToken());
        const QString target = out.filePath(QFileInfo(path).fileName() + QStringLiteral(".png"));
        // Written as the product writes thumbnails (ThumbCommand, ThumbnailCache): PNG, low zlib effort.
        QImageWriter writer(target, "png");
        writer.setQuality(70);
        if (!image || !writer.write(*image)) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(path), image ? "cannot write the PNG" : qPrintable(image.error().message));
            ++failed;
        }
    }
    return failed ? 1 : 0;
}
