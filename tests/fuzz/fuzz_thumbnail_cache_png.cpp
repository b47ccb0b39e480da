// The shared thumbnail cache holds PNGs any program may have written (or half-written): the
// cache reads their size and Thumb::* text chunks itself, before any image decoder sees them.
#include "FuzzSupport.h"
#include "thumbs/ThumbnailCache.h"

#include <QDir>
#include <QFileInfo>

using namespace mt;

namespace {

struct Setup {
    ThumbnailCache cache{fuzz::scratch().filePath(QStringLiteral("thumbnails"))};
    // Fixed, so seeds can carry the matching Thumb::URI/MTime/Size and reach findLarger's decode.
    SourceFile source{QStringLiteral("/fuzz/photo.jpg"), QStringLiteral("file:///fuzz/photo.jpg"), 1700000000, 1,
                      QStringLiteral("image/jpeg")};
    Setup()
    {
        for (const int size : {256, 512})
            QDir().mkpath(QFileInfo(cache.thumbnailPath(source.uri, size)).path());
        QDir().mkpath(QFileInfo(cache.failurePath(source.uri)).path());
    }
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Setup setup;
    // The same bytes as a thumbnail of the asked size, a larger one and a failure record: find()
    // and failure() read only the header, findLarger() also hands a valid-looking one to Qt's PNG
    // decoder.
    for (const QString &path : {setup.cache.thumbnailPath(setup.source.uri, 256),
                                setup.cache.thumbnailPath(setup.source.uri, 512),
                                setup.cache.failurePath(setup.source.uri)})
        if (!fuzz::writeScratchFile(path, data, size))
            return 0;
    (void)setup.cache.find(setup.source, 256);
    (void)setup.cache.findLarger(setup.source, 256);
    (void)setup.cache.failure(setup.source);
    return 0;
}
