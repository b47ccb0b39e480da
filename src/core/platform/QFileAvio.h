#pragma once

#include "common/Result.h"

#include <QString>

struct AVFormatContext;
struct AVIOContext;

namespace mt::ff {

// An AVIOContext that reads a file through QFile, so libavformat never sees the file's name
// (CFileAccess::ThroughQt). attach() opens `path` and installs the context as `ctx->pb`;
// libavformat then marks `ctx` AVFMT_FLAG_CUSTOM_IO and leaves the context to us: release() it
// after avformat_close_input (ff::InputDeleter does).
class QFileAvio {
public:
    static Status attach(AVFormatContext *ctx, const QString &path);
    static void release(AVIOContext *pb);
};

} // namespace mt::ff
