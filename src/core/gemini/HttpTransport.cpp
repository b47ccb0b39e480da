#include "gemini/HttpTransport.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace mt::gemini {

HttpTransport::HttpTransport() = default;
HttpTransport::~HttpTransport() = default;

Result<HttpAnswer> HttpTransport::send(const HttpCall &call, const CancellationToken &token)
{
    if (token.isCancelled())
        return makeError(Error::Code::Cancelled, QCoreApplication::translate("Gemini", "cancelled"));
    if (!m_nam)
        m_nam = std::make_unique<QNetworkAccessManager>();

    QNetworkRequest request(call.url);
    for (const auto &[name, value] : call.headers)
        request.setRawHeader(name, value);

    std::unique_ptr<QFile> file;
    QNetworkReply *reply = nullptr;
    if (!call.bodyFile.isEmpty()) {
        file = std::make_unique<QFile>(call.bodyFile);
        if (!file->open(QIODevice::ReadOnly))
            return makeError(Error::Code::Io, QCoreApplication::translate("Gemini", "cannot read %1 for upload: %2")
                                                  .arg(call.bodyFile, file->errorString()));
        // Streamed from disk by Qt in small blocks; the file is never loaded whole.
        request.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
        reply = m_nam->sendCustomRequest(request, call.method, file.get());
    } else if (call.method == "GET" || call.method == "DELETE") {
        reply = m_nam->sendCustomRequest(request, call.method);
    } else {
        reply = m_nam->sendCustomRequest(request, call.method, call.body);
    }
    std::unique_ptr<QNetworkReply> owner(reply);

    QEventLoop loop;
    bool timedOut = false;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] { timedOut = true; reply->abort(); });
    QTimer cancelPoll;
    QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
        if (token.isCancelled())
            reply->abort();
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished()) {
        deadline.start(call.timeout);
        cancelPoll.start(50);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }

    if (timedOut)
        return makeError(Error::Code::Timeout, QCoreApplication::translate("Gemini", "no complete answer within %1 s")
                                                   .arg(double(call.timeout.count()) / 1000.0));
    if (token.isCancelled())
        return makeError(Error::Code::Cancelled, QCoreApplication::translate("Gemini", "cancelled"));

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const bool transportFailed = reply->error() != QNetworkReply::NoError
        && (!status.isValid() || reply->error() < QNetworkReply::ContentAccessDenied);
    if (transportFailed) {
        // The error string can quote the URL; callers scrub it before showing it.
        return makeError(Error::Code::Network, reply->errorString());
    }
    HttpAnswer answer;
    answer.status = status.toInt();
    answer.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        answer.headers.insert(name.toLower(), value);
    return answer;
}

} // namespace mt::gemini
