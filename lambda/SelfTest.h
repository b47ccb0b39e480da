#pragma once

namespace mt::lambda {

// `bootstrap --self-test`: proves in about a second that this process, with the shared libraries
// and plugins it was started with, can do the real work — Qt's SQLite driver, JPEG and TLS plugins,
// the FFmpeg codecs the core needs, and small real pipelines (metadata, thumbnail, AV1/Opus
// compression) on samples embedded in the binary. Prints one JSON object on stdout:
//   {"ok": bool, "checks": [{"name", "ok", "ms", "detail"}], "libraries": [paths], "executable": path}
// where "libraries" lists every shared object the process has mapped, so a packaging test can
// check they all come from the bundle. Returns the process exit code: 0 only if every check passed.
int runSelfTest();

} // namespace mt::lambda
