// One target per media path (built as fuzz_media_jpeg, _heic, _mp4, _mov): mutated bytes under
// that extension go through what every front end does with a file it was handed: inspect it, read
// its metadata, make a thumbnail and, for videos, compress it. Each step gets a short time limit
// through its CancellationToken, as the app and the Lambda give one per item; a step that ignores
// the token shows up as a libFuzzer timeout.
#include "FuzzSupport.h"
#include "common/Cancellation.h"
#include "media/MediaType.h"
#include "metadata/MetadataReader.h"
#include "thumbs/ThumbnailGenerator.h"
#include "video/VideoCompressor.h"

#include <QFile>

extern "C" {
#include <libavutil/log.h>
}

#ifndef MT_FUZZ_SUFFIX
#error "MT_FUZZ_SUFFIX names the file extension this target feeds (jpg, heic, mp4, mov)"
#endif

using namespace mt;

namespace {

constexpr std::chrono::milliseconds kStepTimeout{2000};

CancellationToken limitedToken()
{
    CancellationToken token;
    token.setTimeout(kStepTimeout);
    return token;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtLogging();
    av_log_set_level(AV_LOG_QUIET);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QString input = fuzz::scratch().filePath(QStringLiteral("input." MT_FUZZ_SUFFIX));
    static const QString output = fuzz::scratch().filePath(QStringLiteral("output.webm"));
    if (!fuzz::writeScratchFile(input, data, size))
        return 0;
    const MediaItem item = inspectFile(input);
    (void)readMetadata(item);
    (void)ThumbnailGenerator::generate(item, 256, limitedToken());
    if (item.ok() && item.kind == MediaKind::Video) {
        // The fastest preset and a small picture: the point is the decoding and the encoder's
        // start and end on damaged input, not the quality.
        CompressionProfile profile;
        profile.preset = 13;
        profile.maxLongEdge = 128;
        (void)VideoCompressor(profile).compress(input, output, {}, limitedToken());
        QFile::remove(output);
    }
    return 0;
}
