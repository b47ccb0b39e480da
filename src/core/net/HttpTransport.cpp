#include "net/HttpTransport.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimer>

#include <optional>

namespace mt::net {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Network", text); }

bool isSuccess(const QVariant &status) { return status.isValid() && status.toInt() / 100 == 2; }

// Qt 6.4 can report a connection closed before Content-Length bytes arrived as a finished reply
// without an error; what arrived must be what was announced, or a cut download passes for whole.
std::optional<Error> checkComplete(const QNetworkReply &reply, const QByteArray &method, qint64 received)
{
    if (method == "HEAD" || !reply.hasRawHeader("Content-Length"))
        return std::nullopt;
    const QByteArray encoding = reply.rawHeader("Content-Encoding").trimmed().toLower();
    if (!encoding.isEmpty() && encoding != "identity")
        return std::nullopt; // Qt may have inflated the body: the sizes are not comparable
    bool ok = false;
    const qint64 promised = reply.rawHeader("Content-Length").trimmed().toLongLong(&ok);
    if (!ok || received == promised)
        return std::nullopt;
    return makeError(Error::Code::Network, tr("the connection closed after %1 of the %2 bytes announced")
                                               .arg(received).arg(promised));
}

} // namespace

HttpTransport::HttpTransport() = default;
HttpTransport::~HttpTransport() = default;

Result<HttpAnswer> HttpTransport::send(const HttpCall &call, const CancellationToken &token)
{
    if (token.isCancelled())
        return makeError(Error::Code::Cancelled, tr("cancelled"));
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
            return makeError(Error::Code::Io, tr("cannot read %1 for upload: %2").arg(call.bodyFile, file->errorString()));
        // Streamed from disk by Qt in small blocks; the file is never loaded whole.
        request.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
        reply = m_nam->sendCustomRequest(request, call.method, file.get());
    } else if (call.method == "HEAD") {
        reply = m_nam->head(request);
    } else if (call.method == "GET" || (call.method == "DELETE" && call.body.isEmpty())) {
        reply = m_nam->sendCustomRequest(request, call.method);
    } else {
        reply = m_nam->sendCustomRequest(request, call.method, call.body);
    }
    std::unique_ptr<QNetworkReply> owner(reply);

    std::unique_ptr<QSaveFile> sink;
    Error sinkError;
    bool sinkFailed = false;
    QByteArray errorBody;
    if (!call.responseFile.isEmpty()) {
        // Drain as data arrives so a multi-gigabyte object never sits in memory.
        QObject::connect(reply, &QNetworkReply::readyRead, reply, [&] {
            if (sinkFailed)
                return;
            if (!isSuccess(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute))) {
                errorBody += reply->readAll();
                return;
            }
            if (!sink) {
                sink = std::make_unique<QSaveFile>(call.responseFile);
                if (!sink->open(QIODevice::WriteOnly)) {
                    sinkFailed = true;
                    sinkError = makeError(Error::Code::Io, tr("cannot write %1: %2").arg(call.responseFile, sink->errorString()));
                    reply->abort();
                    return;
                }
            }
            const QByteArray chunk = reply->readAll();
            if (sink->write(chunk) != chunk.size()) {
                sinkFailed = true;
                sinkError = makeError(Error::Code::Io, tr("cannot write %1: %2").arg(call.responseFile, sink->errorString()));
                reply->abort();
            }
        });
    }

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
        if (call.timeout.count() > 0)
            deadline.start(call.timeout);
        cancelPoll.start(50);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }

    if (sinkFailed)
        return sinkError;
    if (timedOut)
        return makeError(Error::Code::Timeout, tr("no complete answer within %1 s").arg(double(call.timeout.count()) / 1000.0));
    if (token.isCancelled())
        return makeError(Error::Code::Cancelled, tr("cancelled"));

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const bool transportFailed = reply->error() != QNetworkReply::NoError
        && (!status.isValid() || reply->error() < QNetworkReply::ContentAccessDenied);
    if (transportFailed) {
        // The error string can quote the URL; callers scrub it before showing it.
        return makeError(Error::Code::Network, reply->errorString());
    }
    HttpAnswer answer;
    answer.status = status.toInt();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        answer.headers.insert(name.toLower(), value);
    if (call.responseFile.isEmpty()) {
        answer.body = reply->readAll();
        if (isSuccess(status)) {
            if (auto cut = checkComplete(*reply, call.method, answer.body.size()))
                return *cut;
        }
    } else if (!isSuccess(status)) {
        answer.body = errorBody + reply->readAll();
    } else {
        if (!sink) { // an empty object: no readyRead ever came
            sink = std::make_unique<QSaveFile>(call.responseFile);
            if (!sink->open(QIODevice::WriteOnly))
                return makeError(Error::Code::Io, tr("cannot write %1: %2").arg(call.responseFile, sink->errorString()));
        }
        const QByteArray rest = reply->readAll();
        if (sink->write(rest) != rest.size())
            return makeError(Error::Code::Io, tr("cannot write %1: %2").arg(call.responseFile, sink->errorString()));
        if (auto cut = checkComplete(*reply, call.method, sink->size()))
            return *cut; // the QSaveFile is discarded: no partial file under the final name
        if (!sink->commit())
            return makeError(Error::Code::Io, tr("cannot write %1: %2").arg(call.responseFile, sink->errorString()));
        answer.bytesWritten = QFileInfo(call.responseFile).size();
    }
    return answer;
}

} // namespace mt::net
