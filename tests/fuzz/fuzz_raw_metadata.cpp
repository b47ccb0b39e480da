// Camera RAW readers on arbitrary bytes: the metadata reader (Exiv2's TIFF parser and makernotes,
// the RAF header walk, the CR3 box lookup) and the thumbnailer (Exiv2's preview inventory, then a
// LibRaw decode). The bytes go to disk as a .dng, as the readers take a path; the MIME type is the
// one inspectFile sniffs (RAF, ORF, RW2, CR2, CR3 by their magic, DNG for plain TIFF), and DNG for
// anything else, so every input reaches the readers, as a misnamed or damaged file can.
#include "FuzzSupport.h"
#include "common/Cancellation.h"
#include "media/MediaType.h"
#include "metadata/RawMetadataReader.h"
#include "thumbs/RawThumbnailer.h"

using namespace mt;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QString input = fuzz::scratch().filePath(QStringLiteral("input.dng"));
    if (size == 0 || !fuzz::writeScratchFile(input, data, size))
        return 0;
    MediaItem item = inspectFile(input);
    if (!item.ok() || !isRawMime(item.mime))
        item.mime = QStringLiteral("image/x-adobe-dng");
    (void)RawMetadataReader::read(item);
    // The time limit the app and the Lambda give one item; a decode that ignores it is a timeout.
    CancellationToken token;
    token.setTimeout(std::chrono::milliseconds(2000));
    (void)RawThumbnailer().thumbnail(input, 256, token);
    return 0;
}
