#include "FakeGeminiServer.h"
#include "HeldResponder.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

#include <set>

namespace mt::fakes {

using json = nlohmann::json;

struct FakeGeminiServer::Reply {
    Reply(int status_ = 200, QByteArray body_ = {}, QList<QPair<QByteArray, QByteArray>> headers_ = {},
          bool truncate_ = false, bool generate_ = false)
        : status(status_), body(std::move(body_)), headers(std::move(headers_)), truncate(truncate_), generate(generate_) {}
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool truncate = false;
    bool generate = false; // counts towards in-flight generateContent
    int extraDelayMs = 0;
    bool answered = false;  // a billed answer with verdicts, counted when it is actually sent
    QStringList judged;
};

struct FakeGeminiServer::UploadSession {
    QString id;
    QString fileId; // chosen by the client ("name": "files/<id>"), else generated
    QString displayName;
    QString mimeType;
    qint64 declared = 0;
    QByteArray received;
};

struct FakeGeminiServer::StoredFile {
    QString id;
    QString displayName;
    QString mimeType;
    qint64 size = 0;
    int pollsLeft = 0;
    bool failed = false;
    bool deleted = false;
    std::optional<Vanish> vanish;
    QString state() const { return failed && pollsLeft <= 0 ? QStringLiteral("FAILED")
                                   : pollsLeft > 0 ? QStringLiteral("PROCESSING") : QStringLiteral("ACTIVE"); }
};

namespace {

QByteArray header(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers())
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

std::string s(const json &obj, const char *key)
{
    if (!obj.is_object())
        return {};
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What the bytes are, for the MIME check the real service does on media.
QString sniff(const QByteArray &bytes)
{
    if (bytes.startsWith("\xFF\xD8\xFF"))
        return QStringLiteral("image/jpeg");
    if (bytes.startsWith("\x89PNG"))
        return QStringLiteral("image/png");
    if (bytes.startsWith("RIFF") && bytes.mid(8, 4) == "WEBP")
        return QStringLiteral("image/webp");
    if (bytes.startsWith("\x1A\x45\xDF\xA3"))
        return QStringLiteral("video/webm");
    if (bytes.mid(4, 4) == "ftyp") {
        const QByteArray brand = bytes.mid(8, 4);
        if (brand == "heic" || brand == "heix" || brand == "mif1")
            return QStringLiteral("image/heic");
        if (brand == "qt  ")
            return QStringLiteral("video/mov");
        return QStringLiteral("video/mp4");
    }
    return {};
}

bool mimeMatches(const QString &declared, const QString &sniffed)
{
    if (declared == sniffed)
        return true;
    const QSet<QString> isoVideo{QStringLiteral("video/mp4"), QStringLiteral("video/mov"), QStringLiteral("video/3gpp")};
    if (isoVideo.contains(declared) && isoVideo.contains(sniffed))
        return true;
    return (declared == QLatin1String("image/heif") && sniffed == QLatin1String("image/heic"));
}

const QSet<QString> &imageMimes()
{
    static const QSet<QString> m{QStringLiteral("image/png"), QStringLiteral("image/jpeg"), QStringLiteral("image/webp"),
                                 QStringLiteral("image/heic"), QStringLiteral("image/heif")};
    return m;
}
const QSet<QString> &videoMimes()
{
    static const QSet<QString> m{QStringLiteral("video/mp4"), QStringLiteral("video/mpeg"), QStringLiteral("video/mov"),
                                 QStringLiteral("video/avi"), QStringLiteral("video/x-flv"), QStringLiteral("video/mpg"),
                                 QStringLiteral("video/webm"), QStringLiteral("video/wmv"), QStringLiteral("video/3gpp")};
    return m;
}

// Unknown members are a 400 on the real service ("Invalid JSON payload received. Unknown name").
std::optional<QString> unknownMember(const json &obj, std::initializer_list<const char *> allowed)
{
    if (!obj.is_object())
        return QStringLiteral("(not an object)");
    for (const auto &[key, _] : obj.items()) {
        bool known = false;
        for (const char *a : allowed)
            known = known || key == a;
        if (!known)
            return QString::fromStdString(key);
    }
    return std::nullopt;
}

} // namespace

FakeGeminiServer::FakeGeminiServer(FakeGeminiOptions options) : m_options(std::move(options)) {}

FakeGeminiServer::~FakeGeminiServer() { m_serverThread.stop(); } // before the state the handlers use goes

bool FakeGeminiServer::start()
{
    return m_serverThread.start([this](QHttpServer &server) { installRoutes(server); });
}

QUrl FakeGeminiServer::baseUrl() const { return m_serverThread.url(); }

void FakeGeminiServer::setGenerateLatencyMs(int ms) { std::lock_guard l(m_mutex); m_options.generateLatencyMs = ms; }
void FakeGeminiServer::setUploadLatencyMs(int ms) { std::lock_guard l(m_mutex); m_options.uploadLatencyMs = ms; }
void FakeGeminiServer::queueFaults(const QList<Fault> &faults) { std::lock_guard l(m_mutex); m_faults += faults; }
void FakeGeminiServer::setFileFault(const QString &fileName, Fault fault) { std::lock_guard l(m_mutex); m_fileFaults[fileName] = fault; }
void FakeGeminiServer::queueUploadFailures(const QList<int> &statuses) { std::lock_guard l(m_mutex); m_uploadFailures += statuses; }
void FakeGeminiServer::failProcessingOf(const QString &displayName) { std::lock_guard l(m_mutex); m_failProcessing << displayName; }
void FakeGeminiServer::makeVanish(const QString &displayName, Vanish when, int times)
{
    std::lock_guard l(m_mutex);
    m_vanish.insert(displayName, qMakePair(when, times));
}

bool FakeGeminiServer::vanishes(StoredFile &file, Vanish at)
{
    if (file.vanish != at)
        return false;
    file.vanish.reset();
    file.deleted = true;
    --m_stats.liveFiles;
    ++m_stats.vanished;
    return true;
}

// The service answers 403, not 404, for a file that does not exist, was deleted or expired
// (gemini-rest.md §8.2).
FakeGeminiServer::Reply FakeGeminiServer::missingFile(const QString &id)
{
    return reject(403, QStringLiteral("PERMISSION_DENIED"),
                  QStringLiteral("You do not have permission to access the File %1 or it may not exist.").arg(id));
}
FakeGeminiStats FakeGeminiServer::stats() const { std::lock_guard l(m_mutex); return m_stats; }
QStringList FakeGeminiServer::violations() const { std::lock_guard l(m_mutex); return m_violations; }
QList<QByteArray> FakeGeminiServer::receivedMedia() const { std::lock_guard l(m_mutex); return m_media; }
QStringList FakeGeminiServer::judgedFiles() const { std::lock_guard l(m_mutex); return m_judged; }
int FakeGeminiServer::generateCallsInFlight() const { std::lock_guard l(m_mutex); return m_inFlightGenerate; }
void FakeGeminiServer::resetCounters()
{
    std::lock_guard l(m_mutex);
    const int live = m_stats.liveFiles;
    m_stats = {};
    m_stats.liveFiles = live;
    m_violations.clear();
    m_media.clear();
    m_judged.clear();
}

void FakeGeminiServer::installRoutes(QHttpServer &server)
{
    using Method = QHttpServerRequest::Method;
    auto later = [this](auto handler) {
        return [this, handler](const QString &arg, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            Reply reply = handler(arg, request);
            int delay = 0;
            {
                std::lock_guard l(m_mutex);
                delay = (reply.generate ? m_options.generateLatencyMs : 0) + reply.extraDelayMs;
            }
            send(std::move(responder), std::move(reply), delay);
        };
    };
    server.route(QStringLiteral("/v1beta/models/<arg>"), Method::Post,
                    later([this](const QString &a, const QHttpServerRequest &r) { return handleGenerate(a, r); }));
    server.route(QStringLiteral("/v1beta/models/<arg>"), Method::Get,
                    later([this](const QString &a, const QHttpServerRequest &r) { return handleModelGet(a, r); }));
    server.route(QStringLiteral("/v1beta/models"), Method::Get,
                    [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) {
                        send(std::move(responder), handleModelList(r), 0);
                    });
    server.route(QStringLiteral("/upload/v1beta/files"), Method::Post,
                    [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) {
                        Reply reply = handleUpload(r);
                        int delay = 0;
                        if (QUrlQuery(r.url()).hasQueryItem(QStringLiteral("upload_id"))) {
                            std::lock_guard l(m_mutex);
                            delay = m_options.uploadLatencyMs;
                        }
                        send(std::move(responder), std::move(reply), delay);
                    });
    server.route(QStringLiteral("/v1beta/files/<arg>"), Method::Get,
                    later([this](const QString &a, const QHttpServerRequest &r) { return handleFileGet(a, r); }));
    server.route(QStringLiteral("/v1beta/files/<arg>"), Method::Delete,
                    later([this](const QString &a, const QHttpServerRequest &r) { return handleFileDelete(a, r); }));
}

void FakeGeminiServer::send(QHttpServerResponder &&responder, Reply reply, int delayMs)
{
    HeldResponder held(std::move(responder));
    auto write = [this, held, reply] {
        // A client that hung up during the delay gets nothing, but the call still counts as over.
        if (QHttpServerResponder *out = held.live()) {
            const QByteArray body = reply.truncate ? reply.body.left(reply.body.size() / 2) : reply.body;
            out->writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
            bool hasType = false;
            for (const auto &[k, v] : reply.headers) {
                out->writeHeader(k, v);
                hasType = hasType || k.compare("Content-Type", Qt::CaseInsensitive) == 0;
            }
            if (!hasType)
                out->writeHeader("Content-Type", "application/json; charset=UTF-8");
            out->writeHeader("Content-Length", QByteArray::number(reply.body.size()));
            out->writeBody(body);
            if (reply.truncate) {
                out->socket()->flush();
                out->socket()->abort();
            }
        }
        if (reply.generate) {
            std::lock_guard l(m_mutex);
            --m_inFlightGenerate;
            if (reply.answered) {
                ++m_stats.answeredCalls;
                m_judged += reply.judged;
            }
        }
    };
    if (delayMs > 0)
        QTimer::singleShot(delayMs, m_serverThread.context(), write);
    else
        write();
}

FakeGeminiServer::Reply FakeGeminiServer::reject(int status, const QString &grpcStatus, const QString &message)
{
    json body = {{"error", {{"code", status}, {"message", message.toStdString()}, {"status", grpcStatus.toStdString()}}}};
    return Reply{status, QByteArray::fromStdString(body.dump()), {}, false, false};
}

std::optional<FakeGeminiServer::Reply> FakeGeminiServer::checkKey(const QHttpServerRequest &request)
{
    std::lock_guard l(m_mutex);
    if (QUrlQuery(request.url()).hasQueryItem(QStringLiteral("key")))
        m_violations << QStringLiteral("API key sent in the URL query");
    if (header(request, "x-goog-api-key") == m_options.apiKey.toUtf8())
        return std::nullopt;
    ++m_stats.rejected;
    json body = {{"error", {{"code", 400}, {"message", "API key not valid. Please pass a valid API key."},
                            {"status", "INVALID_ARGUMENT"},
                            {"details", json::array({{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                                      {"reason", "API_KEY_INVALID"},
                                                      {"domain", "googleapis.com"}}})}}}};
    return Reply{400, QByteArray::fromStdString(body.dump()), {}, false, false};
}

FakeGeminiServer::Reply FakeGeminiServer::handleModelGet(const QString &model, const QHttpServerRequest &request)
{
    if (auto bad = checkKey(request))
        return *bad;
    std::lock_guard l(m_mutex);
    ++m_stats.modelGets;
    if (!m_options.models.contains(model))
        return reject(404, QStringLiteral("NOT_FOUND"), QStringLiteral("models/%1 is not found for API version v1beta").arg(model));
    json m = {{"name", "models/" + model.toStdString()}, {"version", "001"}, {"displayName", model.toStdString()},
              {"inputTokenLimit", 1048576}, {"outputTokenLimit", 65536},
              {"supportedGenerationMethods", {"generateContent", "countTokens"}}};
    return Reply{200, QByteArray::fromStdString(m.dump()), {}, false, false};
}

FakeGeminiServer::Reply FakeGeminiServer::handleModelList(const QHttpServerRequest &request)
{
    if (auto bad = checkKey(request))
        return *bad;
    std::lock_guard l(m_mutex);
    ++m_stats.modelListPages;
    json all = json::array();
    for (const QString &id : m_options.models)
        all.push_back({{"name", "models/" + id.toStdString()}, {"supportedGenerationMethods", {"generateContent"}}});
    all.push_back({{"name", "models/embedding-test"}, {"supportedGenerationMethods", {"embedContent"}}});
    // Page tokens look like the service's (base64 with '+', '/' and '='); the query is read with
    // form rules as Google's front ends do, so a token sent without percent-encoding arrives
    // altered and is refused.
    const int pageSize = m_options.modelsPageSize > 0 ? m_options.modelsPageSize : int(all.size());
    auto tokenFor = [](int offset) { return QStringLiteral("pg+%1/Zm9v==").arg(offset); };
    int offset = 0;
    const QString rawQuery = request.url().query(QUrl::FullyEncoded);
    for (const QString &pair : rawQuery.split(u'&', Qt::SkipEmptyParts)) {
        if (!pair.startsWith(QLatin1String("pageToken=")))
            continue;
        QByteArray value = pair.mid(10).toLatin1();
        value.replace('+', ' ');
        const QString token = QUrl::fromPercentEncoding(value);
        static const QRegularExpression shape(QStringLiteral("^pg\\+(\\d+)/Zm9v==$"));
        const auto m = shape.match(token);
        if (!m.hasMatch()) {
            m_violations << QStringLiteral("page token arrived altered: ") + token;
            return reject(400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("Invalid page token."));
        }
        offset = m.captured(1).toInt();
    }
    json page = json::array();
    for (int i = offset; i < std::min(int(all.size()), offset + pageSize); ++i)
        page.push_back(all[size_t(i)]);
    json doc = {{"models", page}};
    if (offset + pageSize < int(all.size()))
        doc["nextPageToken"] = tokenFor(offset + pageSize).toStdString();
    return Reply{200, QByteArray::fromStdString(doc.dump()), {}, false, false};
}

// Thinking as the families take it (gemini-rest.md §2.7, §8.2): 2.x models refuse thinkingLevel and
// take a bounded thinkingBudget; 3.x models take LOW/MEDIUM/HIGH. Either way maxOutputTokens has to
// leave room for the thinking, or the answer is cut off (see the MAX_TOKENS rule in handleGenerate).
std::optional<FakeGeminiServer::Reply> FakeGeminiServer::checkThinking(const QString &model, const json &config)
{
    auto violation = [this](const QString &what) {
        std::lock_guard l(m_mutex);
        m_violations << what;
        ++m_stats.rejected;
        return reject(400, QStringLiteral("INVALID_ARGUMENT"), what);
    };
    const bool twoX = model.startsWith(QLatin1String("gemini-2"));
    const json thinking = config.contains("thinkingConfig") ? config["thinkingConfig"] : json::object();
    if (thinking.contains("thinkingLevel") && thinking.contains("thinkingBudget"))
        return violation(QStringLiteral("thinkingLevel and thinkingBudget together"));
    int allowance = 1024;
    if (thinking.contains("thinkingLevel")) {
        if (twoX)
            return violation(QStringLiteral("Thinking level is not supported for this model."));
        const std::string level = s(thinking, "thinkingLevel");
        if (level != "LOW" && level != "MEDIUM" && level != "HIGH")
            return violation(QStringLiteral("thinkingLevel not supported by this model"));
    } else if (thinking.contains("thinkingBudget")) {
        const int budget = thinking["thinkingBudget"].is_number_integer() ? thinking["thinkingBudget"].get<int>() : -2;
        const bool pro = model.contains(QLatin1String("pro"));
        if (budget < -1 || budget > 24576 || (pro && budget < 128) || (model.contains(QLatin1String("flash-lite")) && budget > 0 && budget < 512))
            return violation(QStringLiteral("thinkingBudget %1 is out of range for this model").arg(budget));
        allowance = std::max(0, budget) + 100;
    }
    if (!config.contains("maxOutputTokens") || !config["maxOutputTokens"].is_number_integer()
        || config["maxOutputTokens"].get<int>() < allowance)
        return violation(QStringLiteral("maxOutputTokens missing or leaves no room for thinking"));
    return std::nullopt;
}

std::optional<FakeGeminiServer::Reply> FakeGeminiServer::faultReply(Fault fault, const QString &model)
{
    auto error = [](int status, const char *grpc, const std::string &message, json details) {
        json e = {{"error", {{"code", status}, {"message", message}, {"status", grpc}}}};
        if (!details.empty())
            e["error"]["details"] = std::move(details);
        return Reply{status, QByteArray::fromStdString(e.dump()), {}, false, true};
    };
    const std::string id = model.toStdString();
    const std::string wait = m_options.retryDelay.toStdString();
    auto violation = [&](const char *quotaId, const char *metric) {
        return json{{"quotaMetric", std::string("generativelanguage.googleapis.com/") + metric}, {"quotaId", quotaId},
                    {"quotaDimensions", {{"location", "global"}, {"model", id}}}, {"quotaValue", "15"}};
    };
    const json help = {{"@type", "type.googleapis.com/google.rpc.Help"},
                       {"links", json::array({{{"description", "Learn more about Gemini API quotas"},
                                               {"url", "https://ai.google.dev/gemini-api/docs/rate-limits"}}})}};
    const std::string quotaText = "You exceeded your current quota, please check your plan and billing details. For more "
                                  "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n"
                                  "* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_requests, "
                                  "limit: 15, model: " + id + "\nPlease retry in " + wait + ".";
    switch (fault) {
    case Fault::RateLimited:
        return error(429, "RESOURCE_EXHAUSTED", quotaText,
                     json::array({{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
                                   {"violations", json::array({violation("GenerateRequestsPerMinutePerProjectPerModel", "generate_content_requests"),
                                                               violation("GenerateContentInputTokensPerModelPerMinute", "generate_content_input_token_count")})}},
                                  help, {{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", wait}}}));
    case Fault::QuotaInWords:
        return error(429, "RESOURCE_EXHAUSTED", quotaText, json::array({help}));
    case Fault::DailyQuota:
        return error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota. Please retry in " + wait + ".",
                     json::array({{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
                                   {"violations", json::array({violation("GenerateRequestsPerDayPerProjectPerModel", "generate_content_requests")})}},
                                  {{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", wait}}}));
    case Fault::FreeTierZero:
        return error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.\n* Quota exceeded for metric: "
                     "generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: " + id
                     + "\nPlease retry in " + wait + ".",
                     json::array({{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
                                   {"violations", json::array({violation("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "generate_content_free_tier_requests")})}},
                                  help, {{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", wait}}}));
    case Fault::CreditsDepleted:
        return error(429, "RESOURCE_EXHAUSTED", "Your prepayment credits are depleted. Please go to AI Studio to manage "
                     "your project and billing.", json::array());
    case Fault::LocationUnsupported:
        return error(400, "FAILED_PRECONDITION", "User location is not supported for the API use.", json::array());
    case Fault::ApiDisabled:
        return error(403, "PERMISSION_DENIED", "Generative Language API has not been used in project 123 before or it is "
                     "disabled.", json::array({{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                                {"reason", "SERVICE_DISABLED"}, {"domain", "googleapis.com"}}}));
    case Fault::Unavailable:
        return Reply{503, "<html><body>Service Unavailable</body></html>", {{"Content-Type", "text/html"}}, false, true};
    default:
        return std::nullopt;
    }
}

FakeGeminiServer::Reply FakeGeminiServer::handleGenerate(const QString &modelMethod, const QHttpServerRequest &request)
{
    {
        std::lock_guard l(m_mutex);
        ++m_stats.generateCalls;
    }
    if (auto bad = checkKey(request))
        return *bad;
    const QString model = modelMethod.section(u':', 0, 0);
    auto violation = [this](const QString &what) {
        std::lock_guard l(m_mutex);
        m_violations << what;
        ++m_stats.rejected;
        return reject(400, QStringLiteral("INVALID_ARGUMENT"), what);
    };
    if (!modelMethod.endsWith(QLatin1String(":generateContent")))
        return violation(QStringLiteral("unknown method ") + modelMethod);
    {
        std::lock_guard l(m_mutex);
        if (!m_options.models.contains(model))
            return reject(404, QStringLiteral("NOT_FOUND"), QStringLiteral("models/%1 is not found").arg(model));
    }
    if (!header(request, "Content-Type").startsWith("application/json"))
        return violation(QStringLiteral("Content-Type is not application/json"));
    const QByteArray raw = request.body();
    if (raw.size() > m_options.maxRequestBytes)
        return violation(QStringLiteral("request of %1 bytes exceeds the %2 byte payload limit")
                             .arg(raw.size()).arg(m_options.maxRequestBytes));
    const json body = json::parse(raw.constBegin(), raw.constEnd(), nullptr, false);
    if (!body.is_object())
        return violation(QStringLiteral("Invalid JSON payload received."));
    if (auto u = unknownMember(body, {"contents", "systemInstruction", "generationConfig", "safetySettings"}))
        return violation(QStringLiteral("Invalid JSON payload received. Unknown name \"%1\"").arg(*u));
    const json &config = body.contains("generationConfig") ? body["generationConfig"] : json();
    if (auto u = unknownMember(config, {"responseMimeType", "responseSchema", "responseJsonSchema", "maxOutputTokens",
                                        "temperature", "mediaResolution", "thinkingConfig"}))
        return violation(QStringLiteral("generationConfig: unknown or missing member \"%1\"").arg(*u));
    if (s(config, "responseMimeType") != "application/json" || !config.contains("responseSchema")
        || !config["responseSchema"].is_object())
        return violation(QStringLiteral("JSON output not forced (responseMimeType + responseSchema)"));
    if (config.contains("responseSchema") && config.contains("responseJsonSchema"))
        return violation(QStringLiteral("responseSchema and responseJsonSchema are mutually exclusive"));
    const std::string resolution = s(config, "mediaResolution");
    if (resolution != "MEDIA_RESOLUTION_LOW" && resolution != "MEDIA_RESOLUTION_MEDIUM" && resolution != "MEDIA_RESOLUTION_HIGH")
        return violation(QStringLiteral("mediaResolution missing or invalid"));
    if (auto refused = checkThinking(model, config))
        return *refused;
    const json &system = body.contains("systemInstruction") ? body["systemInstruction"] : json();
    if (!system.is_object() || !system.contains("parts") || !system["parts"].is_array() || system["parts"].empty()
        || s(system["parts"][0], "text").empty())
        return violation(QStringLiteral("systemInstruction missing"));
    if (!body.contains("contents") || !body["contents"].is_array() || body["contents"].size() != 1)
        return violation(QStringLiteral("contents must hold one user turn"));
    const json &content = body["contents"][0];
    if (s(content, "role") != "user" || !content.contains("parts") || !content["parts"].is_array())
        return violation(QStringLiteral("contents[0] is not a user turn with parts"));

    // Walk the parts: text blocks name the items ("N. file"), media parts follow in order.
    static const QRegularExpression itemLine(QStringLiteral("^(\\d+)\\. (.+)$"), QRegularExpression::MultilineOption);
    QStringList names; // index = number - 1
    int mediaParts = 0;
    int videoParts = 0;
    QList<QByteArray> media;
    for (const json &part : content["parts"]) {
        if (!part.is_object() || part.size() != 1)
            return violation(QStringLiteral("a part must hold exactly one of text, inlineData, fileData"));
        if (part.contains("text")) {
            const QString text = QString::fromStdString(s(part, "text"));
            auto it = itemLine.globalMatch(text);
            while (it.hasNext()) {
                const auto m = it.next();
                if (m.captured(1).toInt() != names.size() + 1)
                    return violation(QStringLiteral("items are not numbered 1..N in order"));
                names << m.captured(2).trimmed();
            }
        } else if (part.contains("inlineData")) {
            const json &d = part["inlineData"];
            if (auto u = unknownMember(d, {"mimeType", "data"}))
                return violation(QStringLiteral("inlineData: unknown member \"%1\"").arg(*u));
            const QString mime = QString::fromStdString(s(d, "mimeType"));
            if (!imageMimes().contains(mime))
                return violation(QStringLiteral("unsupported inline MIME type ") + mime);
            const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(s(d, "data")),
                                                                QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded || decoded.decoded.isEmpty())
                return violation(QStringLiteral("inlineData.data is not valid base64"));
            if (!mimeMatches(mime, sniff(decoded.decoded)))
                return violation(QStringLiteral("inline bytes are %1, declared %2").arg(sniff(decoded.decoded), mime));
            media << decoded.decoded;
            ++mediaParts;
        } else if (part.contains("fileData")) {
            const json &f = part["fileData"];
            const QString uri = QString::fromStdString(s(f, "fileUri"));
            const QString id = uri.section(u'/', -1);
            std::lock_guard l(m_mutex);
            const auto file = m_files.value(id);
            if (!file || file->deleted || !uri.startsWith(baseUrl().toString()) || vanishes(*file, Vanish::BeforeUse))
                return missingFile(id);
            if (++videoParts > m_options.maxVideosPerRequest) {
                m_violations << QStringLiteral("more than %1 videos in one request").arg(m_options.maxVideosPerRequest);
                return reject(400, QStringLiteral("INVALID_ARGUMENT"),
                              QStringLiteral("Too many videos in the request: at most %1 are supported.").arg(m_options.maxVideosPerRequest));
            }
            if (file->state() != QLatin1String("ACTIVE")) {
                m_violations << QStringLiteral("file %1 used before ACTIVE").arg(id);
                return reject(400, QStringLiteral("FAILED_PRECONDITION"), QStringLiteral("The File %1 is not in an ACTIVE state and usage is not allowed.").arg(id));
            }
            if (QString::fromStdString(s(f, "mimeType")) != file->mimeType) {
                m_violations << QStringLiteral("fileData MIME type differs from the upload's");
                return reject(400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("fileData.mimeType mismatch"));
            }
            ++mediaParts;
        } else {
            return violation(QStringLiteral("unknown part member"));
        }
    }
    if (names.isEmpty() || names.size() != mediaParts)
        return violation(QStringLiteral("%1 items named but %2 media parts sent").arg(names.size()).arg(mediaParts));

    Fault fault = Fault::None;
    QString faultFile;
    {
        std::lock_guard l(m_mutex);
        for (const QString &n : names)
            if (m_fileFaults.contains(n)) {
                fault = m_fileFaults.value(n);
                faultFile = n;
            }
        if (fault == Fault::None && !m_faults.isEmpty())
            fault = m_faults.takeFirst();
        if (m_options.recordMedia)
            m_media += media;
        for (const QByteArray &m : media)
            m_stats.mediaBytes += m.size();
        ++m_inFlightGenerate;
        m_stats.maxConcurrentGenerate = std::max(m_stats.maxConcurrentGenerate, m_inFlightGenerate);
    }
    if (auto scripted = faultReply(fault, model))
        return *scripted;
    switch (fault) {
    case Fault::KeyRejected: {
        std::lock_guard l(m_mutex);
        --m_inFlightGenerate;
    }
        return reject(400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("API key not valid. Please pass a valid API key."));
    case Fault::ModelNotFound: {
        std::lock_guard l(m_mutex);
        --m_inFlightGenerate;
    }
        return reject(404, QStringLiteral("NOT_FOUND"), QStringLiteral("models/%1 is not found").arg(model));
    default: break;
    }
    json verdicts = json::array();
    for (int i = 0; i < names.size(); ++i) {
        const QString lower = names[i].toLower();
        const bool discard = lower.contains(QLatin1String("discard")) || lower.contains(QLatin1String("dark"))
            || lower.contains(QLatin1String("blur"));
        verdicts.push_back({{"media", i + 1}, {"filename", names[i].toStdString()}, {"saveable", !discard},
                            {"reason", discard ? "fake: too dark to recover" : "fake: clear subject"}});
    }
    // A scripted file goes missing itself; otherwise the last item does.
    const int dropped = faultFile.isEmpty() ? int(names.size()) - 1 : int(names.indexOf(faultFile));
    if (fault == Fault::MissingItem)
        verdicts.erase(verdicts.begin() + dropped);
    if (fault == Fault::WrongFileName)
        verdicts[0]["filename"] = "WRONG_" + s(verdicts[0], "filename");
    if (fault == Fault::DuplicateItem) {
        json copy = verdicts[0];
        copy["saveable"] = !copy["saveable"].get<bool>();
        verdicts.push_back(copy);
    }
    std::string text = verdicts.dump();
    if (fault == Fault::ProseWrapped)
        text = "Here are the verdicts you asked for:\n```json\n" + verdicts.dump(2) + "\n```\nLet me know if you need more.";
    if (fault == Fault::MalformedJson || fault == Fault::MaxTokens)
        text = text.substr(0, text.size() / 2);

    // Thinking comes first and shares maxOutputTokens with the answer: when it uses the allowance
    // up the answer is MAX_TOKENS with no text; when only part is left the text is cut there.
    const int n = int(names.size());
    const int maxOut = config["maxOutputTokens"].get<int>();
    int thoughts = 0, answerTokens = 0;
    {
        std::lock_guard l(m_mutex);
        thoughts = m_options.thinkingTokens;
        answerTokens = m_options.answerTokensPerItem * n;
    }
    if (config.contains("thinkingConfig") && config["thinkingConfig"].contains("thinkingBudget"))
        thoughts = std::min(thoughts, std::max(0, config["thinkingConfig"]["thinkingBudget"].get<int>()));
    if (fault == Fault::ThinkingOverrun)
        thoughts = maxOut;
    const bool outOfRoom = thoughts + answerTokens > maxOut;
    if (outOfRoom) {
        thoughts = std::min(thoughts, maxOut);
        answerTokens = maxOut - thoughts;
        text = answerTokens > 0 ? text.substr(0, text.size() / 2) : std::string();
        if (fault == Fault::None || fault == Fault::ThinkingOverrun)
            fault = Fault::MaxTokens;
    }
    json usage = {{"promptTokenCount", 300 * n + 400}, {"candidatesTokenCount", answerTokens}, {"thoughtsTokenCount", thoughts},
                  {"totalTokenCount", 300 * n + 400 + answerTokens + thoughts}};
    json answer = {{"usageMetadata", usage}, {"modelVersion", model.toStdString() + "-fake-001"}, {"responseId", "fake"}};
    if (fault == Fault::PromptBlocked) {
        answer["promptFeedback"] = {{"blockReason", "SAFETY"}};
    } else if (fault == Fault::EmptyCandidates) {
        answer["candidates"] = json::array();
    } else if (fault == Fault::SafetyBlock) {
        answer["candidates"] = json::array({{{"finishReason", "SAFETY"}, {"index", 0}}});
    } else {
        json parts = json::array({{{"text", "thinking..."}, {"thought", true}}});
        if (!text.empty())
            parts.push_back({{"text", text}});
        answer["candidates"] = json::array({{{"content", {{"role", "model"}, {"parts", parts}}},
                                             {"finishReason", fault == Fault::MaxTokens ? "MAX_TOKENS" : "STOP"},
                                             {"index", 0}}});
    }
    Reply reply{200, QByteArray::fromStdString(answer.dump()), {}, false, true};
    reply.truncate = fault == Fault::TruncatedBody;
    if (fault == Fault::Slow)
        reply.extraDelayMs = m_options.slowMs;
    if (!reply.truncate && fault != Fault::SafetyBlock && fault != Fault::PromptBlocked && fault != Fault::EmptyCandidates
        && fault != Fault::MalformedJson && fault != Fault::MaxTokens) {
        reply.answered = true;
        for (int i = 0; i < n; ++i)
            if (!(fault == Fault::MissingItem && i == dropped) && !(fault == Fault::WrongFileName && i == 0)
                && !(fault == Fault::DuplicateItem && i == 0))
                reply.judged << names[i];
    }
    return reply;
}

FakeGeminiServer::Reply FakeGeminiServer::handleUpload(const QHttpServerRequest &request)
{
    if (auto bad = checkKey(request))
        return *bad;
    auto violation = [this](const QString &what) {
        std::lock_guard l(m_mutex);
        m_violations << what;
        ++m_stats.rejected;
        return reject(400, QStringLiteral("INVALID_ARGUMENT"), what);
    };
    const QString uploadId = QUrlQuery(request.url()).queryItemValue(QStringLiteral("upload_id"));
    if (uploadId.isEmpty()) {
        if (header(request, "X-Goog-Upload-Protocol") != "resumable")
            return violation(QStringLiteral("upload start without X-Goog-Upload-Protocol: resumable"));
        if (header(request, "X-Goog-Upload-Command") != "start")
            return violation(QStringLiteral("upload start without X-Goog-Upload-Command: start"));
        bool ok = false;
        const qint64 declared = header(request, "X-Goog-Upload-Header-Content-Length").toLongLong(&ok);
        if (!ok || declared <= 0)
            return violation(QStringLiteral("X-Goog-Upload-Header-Content-Length missing"));
        const QString mime = QString::fromUtf8(header(request, "X-Goog-Upload-Header-Content-Type"));
        if (!videoMimes().contains(mime) && !imageMimes().contains(mime))
            return violation(QStringLiteral("unsupported upload MIME type ") + mime);
        const QByteArray raw = request.body();
        const json body = json::parse(raw.constBegin(), raw.constEnd(), nullptr, false);
        if (!body.is_object() || !body.contains("file") || !body["file"].is_object())
            return violation(QStringLiteral("upload start body must be {\"file\": {...}}"));
        const json &file = body["file"];
        if (file.contains("displayName") && file.contains("display_name"))
            return violation(QStringLiteral("displayName and display_name both set"));
        // An optional client-chosen name: "files/" + at most 40 lowercase alphanumerics or '-',
        // not starting or ending with '-' (gemini-rest.md §6.1).
        static const QRegularExpression fileName(QStringLiteral("^files/([a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?)$"));
        QString chosenId;
        if (file.contains("name")) {
            const auto m = fileName.match(QString::fromStdString(s(file, "name")));
            if (!m.hasMatch())
                return violation(QStringLiteral("invalid file name \"%1\"").arg(QString::fromStdString(s(file, "name"))));
            chosenId = m.captured(1);
        }
        std::lock_guard l(m_mutex);
        if (!chosenId.isEmpty() && m_files.contains(chosenId))
            return reject(409, QStringLiteral("ALREADY_EXISTS"), QStringLiteral("File files/%1 already exists.").arg(chosenId));
        if (!m_uploadFailures.isEmpty()) {
            const int status = m_uploadFailures.takeFirst();
            return Reply{status, "<html>unavailable</html>", {{"Content-Type", "text/html"}}, false, false};
        }
        ++m_stats.uploadsStarted;
        auto session = std::make_shared<UploadSession>();
        session->id = QStringLiteral("up%1").arg(m_nextId++);
        session->displayName = QString::fromStdString(s(file, "displayName").empty() ? s(file, "display_name") : s(file, "displayName"));
        session->mimeType = mime;
        session->declared = declared;
        session->fileId = chosenId.isEmpty() ? QStringLiteral("file%1").arg(m_nextId++) : chosenId;
        m_sessions.insert(session->id, session);
        const QByteArray url = (baseUrl().toString() + QStringLiteral("/upload/v1beta/files?upload_id=") + session->id).toUtf8();
        return Reply{200, {}, {{"x-goog-upload-url", url}, {"x-goog-upload-status", "active"}}, false, false};
    }

    std::shared_ptr<UploadSession> session;
    {
        std::lock_guard l(m_mutex);
        session = m_sessions.value(uploadId);
    }
    if (!session)
        return violation(QStringLiteral("unknown upload_id"));
    const QByteArray command = header(request, "X-Goog-Upload-Command");
    if (command != "upload" && command != "upload, finalize")
        return violation(QStringLiteral("bad X-Goog-Upload-Command: ") + QString::fromUtf8(command));
    bool ok = false;
    const qint64 offset = header(request, "X-Goog-Upload-Offset").toLongLong(&ok);
    if (!ok || offset != session->received.size())
        return violation(QStringLiteral("X-Goog-Upload-Offset %1, expected %2").arg(offset).arg(session->received.size()));
    session->received += request.body();
    if (command == "upload")
        return Reply{200, {}, {{"x-goog-upload-status", "active"}}, false, false};
    if (session->received.size() != session->declared)
        return violation(QStringLiteral("uploaded %1 bytes, declared %2").arg(session->received.size()).arg(session->declared));
    if (!mimeMatches(session->mimeType, sniff(session->received)))
        return violation(QStringLiteral("uploaded bytes are %1, declared %2").arg(sniff(session->received), session->mimeType));

    std::lock_guard l(m_mutex);
    m_sessions.remove(uploadId);
    auto stored = std::make_shared<StoredFile>();
    if (m_files.contains(session->fileId))
        return reject(409, QStringLiteral("ALREADY_EXISTS"), QStringLiteral("File files/%1 already exists.").arg(session->fileId));
    stored->id = session->fileId;
    stored->displayName = session->displayName;
    if (auto it = m_vanish.find(session->displayName); it != m_vanish.end()) {
        stored->vanish = it->first;
        if (--it->second <= 0)
            m_vanish.erase(it);
    }
    stored->mimeType = session->mimeType;
    stored->size = session->received.size();
    stored->pollsLeft = m_options.processingPolls;
    stored->failed = m_failProcessing.contains(session->displayName);
    m_files.insert(stored->id, stored);
    ++m_stats.uploadsFinished;
    ++m_stats.liveFiles;
    m_stats.mediaBytes += stored->size;
    if (m_options.recordMedia)
        m_media << session->received;
    return Reply{200, "{\"file\": " + fileJson(*stored) + "}", {{"x-goog-upload-status", "final"}}, false, false};
}

QByteArray FakeGeminiServer::fileJson(const StoredFile &file) const
{
    json f = {{"name", "files/" + file.id.toStdString()}, {"displayName", file.displayName.toStdString()},
              {"mimeType", file.mimeType.toStdString()}, {"sizeBytes", std::to_string(file.size)},
              {"uri", (baseUrl().toString() + QStringLiteral("/v1beta/files/") + file.id).toStdString()},
              {"state", file.state().toStdString()}, {"source", "UPLOADED"}};
    if (file.state() == QLatin1String("FAILED"))
        f["error"] = {{"code", 400}, {"message", "video could not be decoded"}};
    return QByteArray::fromStdString(f.dump());
}

FakeGeminiServer::Reply FakeGeminiServer::handleFileGet(const QString &id, const QHttpServerRequest &request)
{
    if (auto bad = checkKey(request))
        return *bad;
    std::lock_guard l(m_mutex);
    const auto file = m_files.value(id);
    if (!file || file->deleted || vanishes(*file, Vanish::WhilePolling))
        return missingFile(id);
    if (file->pollsLeft > 0)
        --file->pollsLeft;
    return Reply{200, fileJson(*file), {}, false, false};
}

FakeGeminiServer::Reply FakeGeminiServer::handleFileDelete(const QString &id, const QHttpServerRequest &request)
{
    if (auto bad = checkKey(request))
        return *bad;
    std::lock_guard l(m_mutex);
    const auto file = m_files.value(id);
    if (!file || file->deleted)
        return missingFile(id);
    file->deleted = true;
    ++m_stats.deletes;
    --m_stats.liveFiles;
    return Reply{200, "{}", {}, false, false};
}

} // namespace mt::fakes
