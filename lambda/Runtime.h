#pragma once

#include <QByteArray>
#include <QString>

namespace mt::lambda {

// Process exit codes of bootstrap.
enum ExitCode { ExitOk = 0, ExitFunctionError = 1, ExitInitFailed = 2, ExitUsage = 64 };

// The custom runtime: init (eager, reported to init/error when it fails), then next → handle →
// response/error forever. Returns only when the Runtime API is gone or says the container is
// broken (500). Logs JSON lines on stdout.
int runRuntimeLoop();

// One event from a file without the Runtime API: the response on stdout, logs on stderr.
int runLocalEvent(const QString &eventFile, const QByteArray &requestId, int timeoutSeconds);

} // namespace mt::lambda
