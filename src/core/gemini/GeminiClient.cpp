#include "gemini/GeminiClient.h"

#include "gemini/GeminiJson.h"
#include "net/CancellableSleep.h"
#include "net/RequestRateLimiter.h"
#include "net/RetryAfter.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>

namespace mt::gemini {

using namespace std::chrono;

namespace {

// HTTP statuses Google's SDK retries; everything else in 4xx means the request itself is wrong.
bool retryableStatus(int status)
{
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool dailyQuota(const wire::ErrorBody &e)
{
    return std::any_of(e.quotaIds.cbegin(), e.quotaIds.cend(),
                       [](const QString &id) { return id.contains(QLatin1String("PerDay")); });
}

// A free-tier quota of zero: the model is not offered without billing (gemini-rest.md §8.2).
bool zeroQuota(const wire::ErrorBody &e)
{
    static const QRegularExpression limitZero(QStringLiteral("\\blimit: ?0\\b"));
    return e.message.contains(limitZero);
}

bool creditsDepleted(const wire::ErrorBody &e)
{
    return e.message.contains(QLatin1String("credits are depleted"), Qt::CaseInsensitive);
}

bool locationUnsupported(const wire::ErrorBody &e)
{
    return e.message.contains(QLatin1String("location is not supported"), Qt::CaseInsensitive);
}

// A 403 about the key or the project, as opposed to one about a file (which answers 403 too).
bool keyOrApiProblem(const wire::ErrorBody &e)
{
    static const QStringList reasons{QStringLiteral("API_KEY_INVALID"), QStringLiteral("SERVICE_DISABLED"),
                                     QStringLiteral("API_KEY_SERVICE_BLOCKED"), QStringLiteral("API_KEY_HTTP_REFERRER_BLOCKED"),
                                     QStringLiteral("API_KEY_IP_ADDRESS_BLOCKED"), QStringLiteral("API_KEY_ANDROID_APP_BLOCKED"),
                                     QStringLiteral("API_KEY_IOS_APP_BLOCKED"), QStringLiteral("CONSUMER_SUSPENDED"),
                                     QStringLiteral("ACCESS_TOKEN_SCOPE_INSUFFICIENT")};
    return std::any_of(e.reasons.cbegin(), e.reasons.cend(), [](const QString &r) { return reasons.contains(r); })
        || e.message.contains(QLatin1String("unregistered callers"), Qt::CaseInsensitive)
        || e.message.contains(QLatin1String("API key"), Qt::CaseInsensitive);
}

// "You do not have permission to access the File abc123 or it may not exist."
QString missingFileId(const wire::ErrorBody &e)
{
    static const QRegularExpression file(QStringLiteral("\\bFile (?:files/)?([a-z0-9-]+)\\b.*(?:not exist|not found)"),
                                         QRegularExpression::CaseInsensitiveOption);
    const auto m = file.match(e.message);
    return m.hasMatch() ? m.captured(1) : QString();
}

QString shortened(QString text)
{
    text = text.simplified();
    return text.size() > 300 ? text.left(297) + QStringLiteral("...") : text;
}

} // namespace

GeminiConfig GeminiConfig::fromEnvironment()
{
    GeminiConfig config;
    if (const QString url = qEnvironmentVariable("GEMINI_BASE_URL"); !url.isEmpty())
        config.baseUrl = QUrl(url);
    if (const QString model = qEnvironmentVariable("GEMINI_MODEL"); !model.isEmpty())
        config.model = model;
    config.apiKey = qEnvironmentVariable("GEMINI_API_KEY").trimmed();
    if (config.apiKey.isEmpty())
        config.apiKey = qEnvironmentVariable("GOOGLE_API_KEY").trimmed();
    return config;
}

GeminiClient::GeminiClient(GeminiConfig config, std::shared_ptr<UsageMeter> usage)
    : m_config(std::move(config)), m_usage(usage ? std::move(usage) : std::make_shared<UsageMeter>())
{
}

QString GeminiClient::scrub(QString text) const
{
    if (!m_config.apiKey.isEmpty())
        text.replace(m_config.apiKey, QStringLiteral("[key]"));
    static const QRegularExpression secretQuery(QStringLiteral("((?:upload_id|key)=)[^&\\s\"']+"));
    text.replace(secretQuery, QStringLiteral("\\1[redacted]"));
    return text;
}

QList<QPair<QByteArray, QByteArray>> GeminiClient::authHeaders() const
{
    return {{"x-goog-api-key", m_config.apiKey.toUtf8()}};
}

QUrl GeminiClient::endpoint(const QString &path) const
{
    QUrl url = m_config.baseUrl;
    QString base = url.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    return url;
}

bool GeminiClient::isFatal(const Error &error)
{
    return error.code == Error::Code::PermissionDenied || error.code == Error::Code::NotFound;
}

// The name of our own upload a failed answer says is gone, if that is what it says.
QString GeminiClient::goneFileIn(Operation op, const HttpAnswer &answer, const QString &subject)
{
    const wire::ErrorBody e = wire::parseErrorBody(answer.body);
    if (answer.status == 403 && keyOrApiProblem(e))
        return {};
    if (op == Operation::File || op == Operation::DeleteFile)
        return answer.status == 403 || answer.status == 404 ? subject : QString();
    if (op == Operation::Generate && answer.status == 403)
        if (const QString id = missingFileId(e); !id.isEmpty())
            return QStringLiteral("files/") + id;
    return {};
}

Error GeminiClient::describe(Operation op, const HttpAnswer &answer, const QString &subject) const
{
    const wire::ErrorBody e = wire::parseErrorBody(answer.body);
    const QString said = e.message.isEmpty() ? QString() : tr(" Gemini said: %1").arg(shortened(scrub(e.message)));
    const int status = answer.status;
    const bool keyInvalid = e.reasons.contains(QLatin1String("API_KEY_INVALID"))
        || e.message.contains(QLatin1String("API key not valid"), Qt::CaseInsensitive);
    if (status == 401 || (status == 400 && keyInvalid))
        return makeError(Error::Code::PermissionDenied,
                         tr("The API key was rejected by Gemini. Check GEMINI_API_KEY or the key saved in the settings."));
    if (const QString gone = goneFileIn(op, answer, subject); !gone.isEmpty())
        return makeError(Error::Code::InvalidArgument,
                         tr("Gemini no longer has the uploaded file %1 (expired or deleted).").arg(gone));
    if (status == 400 && locationUnsupported(e))
        return makeError(Error::Code::PermissionDenied,
                         tr("Gemini is not available where this computer is (\"User location is not supported for the "
                            "API use\"); nothing more is sent. Use Gemini from a supported country or the offline "
                            "engine (--engine local)."));
    if (status == 403)
        return makeError(Error::Code::PermissionDenied,
                         tr("The API key is not allowed to use the Gemini API (permission denied); check that the "
                            "Generative Language API is enabled for the key's project.%1").arg(said));
    if (status == 402 || (status == 429 && creditsDepleted(e)))
        return makeError(Error::Code::PermissionDenied,
                         tr("Gemini's prepaid credit is used up; top up the billing account to go on.%1").arg(said));
    if (status == 404) {
        if (op == Operation::Generate || op == Operation::Model)
            return makeError(Error::Code::NotFound,
                             tr("Model '%1' was not found. Pick a model that supports generateContent "
                                "(mediatriage-cli triage --model ID).").arg(subject));
        return makeError(Error::Code::InvalidArgument, tr("Gemini answered HTTP 404 for %1.%2").arg(subject, said));
    }
    if (status == 429)
        return describeQuota(e, said);
    if (status >= 500)
        return makeError(Error::Code::Network, tr("Gemini is unavailable (HTTP %1).%2").arg(status).arg(said));
    if (status >= 400)
        return makeError(Error::Code::InvalidArgument, tr("Gemini rejected the request (HTTP %1).%2").arg(status).arg(said));
    return makeError(Error::Code::Network, tr("Unexpected answer from Gemini (HTTP %1).").arg(status));
}

Error GeminiClient::describeQuota(const wire::ErrorBody &e, const QString &said) const
{
    if (zeroQuota(e))
        return makeError(Error::Code::PermissionDenied,
                         tr("Model '%1' has no free quota (limit 0): it needs a paid plan. Enable billing for the "
                            "key's project or choose another model.%2").arg(m_config.model, said));
    if (dailyQuota(e))
        return makeError(Error::Code::PermissionDenied,
                         tr("Gemini's daily request quota is used up; it resets at midnight Pacific time.%1").arg(said));
    return makeError(Error::Code::Network,
                     tr("Gemini's rate limit was exceeded; try again in a minute or lower the number of "
                        "requests in flight.%1").arg(said));
}

Result<HttpAnswer> GeminiClient::call(Operation op, const std::function<Result<HttpAnswer>()> &attempt,
                                      const CancellationToken &token, const QString &subject)
{
    m_goneFile.clear();
    for (int n = 1;; ++n) {
        Result<HttpAnswer> result = attempt();
        if (result && result->status >= 200 && result->status < 300)
            return result;

        Error error;
        net::FailedAttempt failure;
        bool quota = false;
        if (!result) {
            if (result.error().code == Error::Code::Cancelled || result.error().code == Error::Code::Io)
                return result.error();
            error = result.error();
            error.message = tr("Could not reach Gemini: %1").arg(scrub(error.message));
            failure.transient = true;
        } else {
            m_goneFile = goneFileIn(op, *result, subject);
            if (!m_goneFile.isEmpty() && op == Operation::DeleteFile)
                return HttpAnswer{200, {}, {}, 0}; // already gone is what a delete wants
            error = describe(op, *result, subject);
            const wire::ErrorBody body = wire::parseErrorBody(result->body);
            failure.transient = retryableStatus(result->status) && error.code != Error::Code::PermissionDenied;
            failure.retryAfter = body.retryDelay ? body.retryDelay : net::retryAfterHeader(*result);
            quota = result->status == 429 && failure.transient;
        }
        const net::RetryDecision decision = m_config.retry.decide(n, failure);
        if (decision.verdict == net::RetryDecision::Verdict::OutOfAttempts)
            error.message += tr(" (gave up after %n attempt(s))", nullptr, n);
        if (!decision.retry())
            return error;
        if (quota && m_quotaWait)
            m_quotaWait(decision.delay);
        const bool slept = net::sleepCancellable(decision.delay, token);
        if (quota && m_quotaWait)
            m_quotaWait(milliseconds(0));
        if (!slept)
            return makeError(Error::Code::Cancelled, tr("cancelled"));
    }
}

Result<ModelInfo> GeminiClient::checkModel(const QString &model, const CancellationToken &token)
{
    HttpCall req;
    req.url = endpoint(QStringLiteral("/v1beta/models/") + model);
    req.headers = authHeaders();
    req.timeout = m_config.requestTimeout;
    auto answer = call(Operation::Model, [&] { return m_http.send(req, token); }, token, model);
    if (!answer)
        return answer.error();
    auto info = wire::parseModel(answer->body);
    if (info && !info->supportsGenerateContent())
        return makeError(Error::Code::InvalidArgument,
                         tr("Model '%1' cannot generate content; pick another model.").arg(model));
    return info;
}

Result<std::vector<ModelInfo>> GeminiClient::listGenerateModels(const CancellationToken &token)
{
    std::vector<ModelInfo> all;
    QString pageToken;
    do {
        HttpCall req;
        QUrl url = endpoint(QStringLiteral("/v1beta/models"));
        // Page tokens are opaque and may hold '+', '/' or '=': percent-encoded, or the server reads
        // another token.
        QString query = QStringLiteral("pageSize=1000");
        if (!pageToken.isEmpty())
            query += QStringLiteral("&pageToken=") + QString::fromLatin1(QUrl::toPercentEncoding(pageToken));
        url.setQuery(query, QUrl::StrictMode);
        req.url = url;
        req.headers = authHeaders();
        req.timeout = m_config.requestTimeout;
        auto answer = call(Operation::ModelList, [&] { return m_http.send(req, token); }, token, {});
        if (!answer)
            return answer.error();
        auto page = wire::parseModelList(answer->body, &pageToken);
        if (!page)
            return page.error();
        for (ModelInfo &m : *page)
            if (m.supportsGenerateContent())
                all.push_back(std::move(m));
    } while (!pageToken.isEmpty());
    return all;
}

Result<GenerateResponse> GeminiClient::generateContent(const GenerateRequest &request, const CancellationToken &token)
{
    // The configured share of the quota; ~300 input tokens per part (a LOW-resolution image is 280).
    if (!net::RequestRateLimiter::admit(m_config.requestsPerMinute, m_config.tokensPerMinute,
                                        qint64(request.parts.size()) * 300 + request.systemInstruction.size() / 4, token))
        return makeError(Error::Code::Cancelled, tr("Cancelled while waiting for the Gemini rate limit."));
    for (;;) {
        HttpCall req;
        req.method = "POST";
        req.url = endpoint(QStringLiteral("/v1beta/models/%1:generateContent").arg(m_config.model));
        req.headers = authHeaders();
        req.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        req.body = wire::generateContentBody(request, m_config, !m_thinkingRejected);
        req.timeout = m_config.requestTimeout;

        bool thinkingRefused = false;
        auto answer = call(Operation::Generate, [&]() -> Result<HttpAnswer> {
            auto r = m_http.send(req, token);
            // Allowed thinking levels differ per model and change with routing; a model that
            // refuses ours is asked again without, once.
            if (r && r->status == 400 && !m_thinkingRejected && !m_config.thinkingLevel.isEmpty()
                && wire::parseErrorBody(r->body).message.contains(QLatin1String("thinking"), Qt::CaseInsensitive))
                thinkingRefused = true;
            return r;
        }, token, m_config.model);
        if (!answer && thinkingRefused) {
            m_thinkingRejected = true;
            continue;
        }
        if (!answer)
            return answer.error();
        auto response = wire::parseGenerateResponse(answer->body);
        if (response)
            m_usage->add(response->usage);
        return response;
    }
}

QString GeminiClient::newFileName()
{
    // "mt-" + 32 hex digits: 35 characters, lowercase alphanumerics and '-' (gemini-rest.md §6.1).
    return QStringLiteral("files/mt-") + QUuid::createUuid().toString(QUuid::Id128).toLower();
}

Result<RemoteFile> GeminiClient::uploadFile(const QString &path, const QString &mimeType, const QString &displayName,
                                            const CancellationToken &token)
{
    for (int round = 1;; ++round) {
        auto file = uploadOnce(path, mimeType, displayName, token);
        if (file && file->state == QLatin1String("ACTIVE"))
            return file;
        if (!file)
            return file.error();
        auto active = waitUntilActive(*file, token);
        if (active)
            return active;
        // Gone while processing (expired, deleted elsewhere): one new upload, then give up.
        const bool vanished = !m_goneFile.isEmpty();
        if (vanished && round == 1 && !token.isCancelled())
            continue;
        // Nothing may be left behind, even on cancel; if it is, the person is told.
        if (Status gone = deleteFile(file->name, CancellationToken()); !gone)
            return makeError(active.error().code, tr("%1 (the unfinished upload could not be deleted: %2)")
                                                      .arg(active.error().message, gone.error().message));
        return active;
    }
}

Result<RemoteFile> GeminiClient::uploadOnce(const QString &path, const QString &mimeType, const QString &displayName,
                                            const CancellationToken &token)
{
    const qint64 size = QFileInfo(path).size();
    // Step 1 (start) and step 2 (upload, finalize) are retried together: resuming a half-sent
    // upload is not documented for Gemini, starting over is. Each start names a new file, written
    // to the ledger first, so whatever the server kept of an attempt can be deleted by name.
    auto attempt = [&]() -> Result<HttpAnswer> {
        const QString name = newFileName();
        m_ledger->add(name);
        HttpCall start;
        start.method = "POST";
        start.url = endpoint(QStringLiteral("/upload/v1beta/files"));
        start.headers = authHeaders();
        start.headers += QList<QPair<QByteArray, QByteArray>>{
            {"X-Goog-Upload-Protocol", "resumable"},
            {"X-Goog-Upload-Command", "start"},
            {"X-Goog-Upload-Header-Content-Length", QByteArray::number(size)},
            {"X-Goog-Upload-Header-Content-Type", mimeType.toUtf8()},
            {"Content-Type", "application/json"}};
        start.body = QByteArray::fromStdString(
            nlohmann::json{{"file", {{"name", name.toStdString()}, {"displayName", displayName.left(512).toStdString()}}}}.dump());
        start.timeout = m_config.requestTimeout;
        auto started = m_http.send(start, token);
        if (!started || started->status != 200)
            return started;
        const QByteArray uploadUrl = started->headers.value("x-goog-upload-url");
        if (uploadUrl.isEmpty())
            return makeError(Error::Code::Network, tr("Gemini did not return an upload address"));

        HttpCall upload;
        upload.method = "POST";
        upload.url = m_config.baseUrl.resolved(QUrl::fromEncoded(uploadUrl));
        // The upload address authorises the upload by itself; the key goes only to our own host.
        if (upload.url.host() == m_config.baseUrl.host())
            upload.headers = authHeaders();
        upload.headers.append(qMakePair(QByteArray("X-Goog-Upload-Offset"), QByteArray("0")));
        upload.headers.append(qMakePair(QByteArray("X-Goog-Upload-Command"), QByteArray("upload, finalize")));
        upload.bodyFile = path;
        upload.timeout = m_config.uploadTimeout;
        return m_http.send(upload, token);
    };
    auto answer = call(Operation::Upload, attempt, token, displayName);
    if (!answer)
        return answer.error();
    return wire::parseFile(answer->body);
}

Result<RemoteFile> GeminiClient::getFile(const QString &name, const CancellationToken &token)
{
    HttpCall req;
    req.url = endpoint(QStringLiteral("/v1beta/") + name);
    req.headers = authHeaders();
    req.timeout = m_config.requestTimeout;
    auto answer = call(Operation::File, [&] { return m_http.send(req, token); }, token, name);
    if (!answer)
        return answer.error();
    return wire::parseFile(answer->body);
}

Result<RemoteFile> GeminiClient::waitUntilActive(const RemoteFile &file, const CancellationToken &token)
{
    QElapsedTimer waited;
    waited.start();
    milliseconds interval = m_config.filePollInterval;
    RemoteFile current = file;
    while (current.state != QLatin1String("ACTIVE")) {
        if (current.state == QLatin1String("FAILED"))
            return makeError(Error::Code::Corrupt, tr("Gemini could not process the uploaded file%1")
                                                       .arg(current.errorMessage.isEmpty() ? QString()
                                                            : QStringLiteral(": ") + shortened(scrub(current.errorMessage))));
        if (waited.elapsed() > m_config.fileActiveTimeout.count())
            return makeError(Error::Code::Timeout, tr("Gemini was still processing the uploaded file after %1 s")
                                                       .arg(m_config.fileActiveTimeout.count() / 1000));
        if (!net::sleepCancellable(interval, token))
            return makeError(Error::Code::Cancelled, tr("cancelled"));
        interval = std::min(interval * 2, m_config.filePollMaxInterval);
        auto polled = getFile(current.name, token);
        if (!polled)
            return polled.error();
        current = *polled;
    }
    return current;
}

Status GeminiClient::deleteFile(const QString &name, const CancellationToken &token)
{
    HttpCall req;
    req.method = "DELETE";
    req.url = endpoint(QStringLiteral("/v1beta/") + name);
    req.headers = authHeaders();
    req.timeout = m_config.requestTimeout;
    auto answer = call(Operation::DeleteFile, [&] { return m_http.send(req, token); }, token, name);
    if (!answer)
        return answer.error();
    m_ledger->remove(name);
    return Done{};
}

} // namespace mt::gemini
