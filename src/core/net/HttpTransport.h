#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QUrl>

#include <chrono>
#include <memory>

class QFile;
class QNetworkAccessManager;
class QNetworkReply;

namespace mt::net {

struct HttpCall {
    QByteArray method = "GET";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString bodyFile;     // when set, the body is streamed from this file instead of `body`
    // When set, a 2xx answer's body is written to this file as it arrives (never held whole in
    // memory) and only appears under this name once complete; other answers keep their body in
    // `HttpAnswer::body` (error documents are small) and leave no file.
    QString responseFile;
    // Whole exchange; zero means no limit (the Lambda Runtime API's "next" blocks indefinitely).
    std::chrono::milliseconds timeout{60000};
};

struct HttpAnswer {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    qint64 bytesWritten = 0;               // with HttpCall::responseFile
};

// One HTTP exchange, synchronously: runs a local event loop on the calling thread until the reply
// is complete, the timeout passes or the token is cancelled. Any HTTP status is an answer; only
// transport failures (connection refused, reset, truncated reply, timeout, cancel) are errors.
// An instance belongs to the thread that first uses it; connections are kept alive between calls.
class HttpTransport {
public:
    HttpTransport();
    ~HttpTransport();
    HttpTransport(const HttpTransport &) = delete;
    HttpTransport &operator=(const HttpTransport &) = delete;

    Result<HttpAnswer> send(const HttpCall &call, const CancellationToken &token = {});

private:
    Result<QNetworkReply *> start(const HttpCall &call, std::unique_ptr<QFile> &upload);
    static bool wait(QNetworkReply &reply, std::chrono::milliseconds timeout, const CancellationToken &token);

    std::unique_ptr<QNetworkAccessManager> m_nam;
};

} // namespace mt::net
