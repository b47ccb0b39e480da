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

// Streams a 2xx body into a QSaveFile as it arrives (a multi-gigabyte object never sits in
// memory); error answers' small bodies are kept for the caller instead.
class ResponseSink {
public:
    explicit ResponseSink(const QString &path) : m_path(path) {}

    void onReadyRead(QNetworkReply &reply)
    {
        if (m_error)
            return;
        if (!isSuccess(reply.attribute(QNetworkRequest::HttpStatusCodeAttribute))) {
            m_errorBody += reply.readAll();
            return;
        }
        if (!write(reply.readAll()))
            reply.abort();
    }
    // After the reply finished with a 2xx: the rest, the completeness check, then the final name.
    Result<qint64> finish(QNetworkReply &reply, const QByteArray &method)
    {
        if (!write(reply.readAll())) // also creates the file of an empty object (no readyRead came)
            return *m_error;
        if (auto cut = checkComplete(reply, method, m_file->size()))
            return *cut; // the QSaveFile is discarded: no partial file under the final name
        if (!m_file->commit())
            return failure();
        return QFileInfo(m_path).size();
    }
    const std::optional<Error> &error() const { return m_error; }
    QByteArray errorBody(QNetworkReply &reply) { return m_errorBody + reply.readAll(); }

private:
    bool write(const QByteArray &chunk)
    {
        if (!m_file) {
            m_file = std::make_unique<QSaveFile>(m_path);
            if (!m_file->open(QIODevice::WriteOnly)) {
                m_error = failure();
                return false;
            }
        }
        if (m_file->write(chunk) != chunk.size()) {
            m_error = failure();
            return false;
        }
        return true;
    }
    Error failure() const { return makeError(Error::Code::Io, tr("cannot write %1: %2").arg(m_path, m_file->errorString())); }

    QString m_path;
    std::unique_ptr<QSaveFile> m_file;
    std::optional<Error> m_error;
    QByteArray m_errorBody;
};

} // namespace

HttpTransport::HttpTransport() = default;
HttpTransport::~HttpTransport() = default;

Result<QNetworkReply *> HttpTransport::start(const HttpCall &call, std::unique_ptr<QFile> &upload)
{
    if (!m_nam)
        m_nam = std::make_unique<QNetworkAccessManager>();
    QNetworkRequest request(call.url);
    for (const auto &[name, value] : call.headers)
        request.setRawHeader(name, value);
    if (!call.bodyFile.isEmpty()) {
        upload = std::make_unique<QFile>(call.bodyFile);
        if (!upload->open(QIODevice::ReadOnly))
            return makeError(Error::Code::Io, tr("cannot read %1 for upload: %2").arg(call.bodyFile, upload->errorString()));
        // Streamed from disk by Qt in small blocks; the file is never loaded whole.
        request.setHeader(QNetworkRequest::ContentLengthHeader, upload->size());
        return m_nam->sendCustomRequest(request, call.method, upload.get());
    }
    if (call.method == "HEAD")
        return m_nam->head(request);
    if (call.method == "GET" || (call.method == "DELETE" && call.body.isEmpty()))
        return m_nam->sendCustomRequest(request, call.method);
    return m_nam->sendCustomRequest(request, call.method, call.body);
}

// Runs a local event loop until the reply finishes, the timeout passes (true) or the token is cancelled.
bool HttpTransport::wait(QNetworkReply &reply, std::chrono::milliseconds timeout, const CancellationToken &token)
{
    if (reply.isFinished())
        return false;
    QEventLoop loop;
    bool timedOut = false;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] { timedOut = true; reply.abort(); });
    QTimer cancelPoll;
    QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
        if (token.isCancelled())
            reply.abort();
    });
    QObject::connect(&reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (timeout.count() > 0)
        deadline.start(timeout);
    cancelPoll.start(50);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    return timedOut;
}

Result<HttpAnswer> HttpTransport::send(const HttpCall &call, const CancellationToken &token)
{
    if (token.isCancelled())
        return makeError(Error::Code::Cancelled, tr("cancelled"));
    std::unique_ptr<QFile> upload;
    auto started = start(call, upload);
    if (!started)
        return started.error();
    std::unique_ptr<QNetworkReply> reply(*started);
    std::optional<ResponseSink> sink;
    if (!call.responseFile.isEmpty()) {
        sink.emplace(call.responseFile);
        QObject::connect(reply.get(), &QNetworkReply::readyRead, reply.get(), [&] { sink->onReadyRead(*reply); });
    }
    const bool timedOut = wait(*reply, call.timeout, token);
    if (sink && sink->error())
        return *sink->error();
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
    if (!sink) {
        answer.body = reply->readAll();
        if (isSuccess(status)) {
            if (auto cut = checkComplete(*reply, call.method, answer.body.size()))
                return *cut;
        }
    } else if (!isSuccess(status)) {
        answer.body = sink->errorBody(*reply);
    } else {
        auto written = sink->finish(*reply, call.method);
        if (!written)
            return written.error();
        answer.bytesWritten = *written;
    }
    return answer;
}

} // namespace mt::net
