#include "gemini/GeminiJson.h"

#include "gemini/ModelFamily.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace mt::gemini::wire {

using json = nlohmann::json;

namespace {

std::string utf8(const QString &s) { return s.toStdString(); }

QString str(const json &obj, const char *key)
{
    if (!obj.is_object())
        return {};
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

// Counts may be omitted when zero and int64 values may arrive as strings (proto3 JSON).
qint64 integer(const json &obj, const char *key)
{
    if (!obj.is_object())
        return 0;
    const auto it = obj.find(key);
    if (it == obj.end())
        return 0;
    if (it->is_number_integer())
        return it->get<qint64>();
    if (it->is_number())
        return qint64(it->get<double>());
    if (it->is_string())
        return QString::fromStdString(it->get<std::string>()).toLongLong();
    return 0;
}

Error badAnswer(const QString &what)
{
    return makeError(Error::Code::Network,
                     QCoreApplication::translate("Gemini", "Gemini sent an answer that could not be read (%1).").arg(what));
}

json parseObject(const QByteArray &body)
{
    return json::parse(body.constBegin(), body.constEnd(), nullptr, /*allow_exceptions=*/false);
}

} // namespace

QByteArray generateContentBody(const GenerateRequest &request, const GeminiConfig &config, bool withThinking)
{
    json parts = json::array();
    for (const Part &part : request.parts) {
        if (const auto *t = std::get_if<TextPart>(&part)) {
            parts.push_back({{"text", utf8(t->text)}});
        } else if (const auto *m = std::get_if<InlineMediaPart>(&part)) {
            parts.push_back({{"inlineData", {{"mimeType", utf8(m->mimeType)},
                                             {"data", m->data.toBase64().toStdString()}}}});
        } else if (const auto *f = std::get_if<FileMediaPart>(&part)) {
            parts.push_back({{"fileData", {{"mimeType", utf8(f->mimeType)}, {"fileUri", utf8(f->fileUri)}}}});
        }
    }
    json generationConfig = {{"maxOutputTokens", request.maxOutputTokens}};
    if (!request.responseSchema.is_null()) {
        generationConfig["responseMimeType"] = "application/json";
        generationConfig["responseSchema"] = request.responseSchema;
    }
    if (!config.mediaResolution.isEmpty())
        generationConfig["mediaResolution"] = utf8(config.mediaResolution);
    if (withThinking) {
        const ThinkingPlan plan = ThinkingPlan::forModel(config.model, config);
        if (plan.kind == ThinkingPlan::Kind::Budget)
            generationConfig["thinkingConfig"] = {{"thinkingBudget", plan.budget}};
        else if (!plan.level.isEmpty())
            generationConfig["thinkingConfig"] = {{"thinkingLevel", utf8(plan.level)}};
    }

    json body = {{"contents", json::array({{{"role", "user"}, {"parts", std::move(parts)}}})},
                 {"generationConfig", std::move(generationConfig)}};
    if (!request.systemInstruction.isEmpty())
        body["systemInstruction"] = {{"parts", json::array({{{"text", utf8(request.systemInstruction)}}})}};
    const std::string text = body.dump();
    return QByteArray(text.data(), qsizetype(text.size()));
}

Result<GenerateResponse> parseGenerateResponse(const QByteArray &body)
{
    const json doc = parseObject(body);
    if (!doc.is_object())
        return badAnswer(QStringLiteral("not JSON"));
    GenerateResponse r;
    r.modelVersion = str(doc, "modelVersion");
    r.responseId = str(doc, "responseId");
    if (const auto it = doc.find("usageMetadata"); it != doc.end() && it->is_object()) {
        r.usage.promptTokens = integer(*it, "promptTokenCount");
        r.usage.candidateTokens = integer(*it, "candidatesTokenCount");
        r.usage.thoughtTokens = integer(*it, "thoughtsTokenCount");
        r.usage.totalTokens = integer(*it, "totalTokenCount");
    }
    if (const auto it = doc.find("promptFeedback"); it != doc.end())
        r.blockReason = str(*it, "blockReason");
    const auto candidates = doc.find("candidates");
    if (candidates == doc.end() || !candidates->is_array() || candidates->empty())
        return r; // prompt blocked or nothing generated: the caller decides
    const json &first = candidates->front();
    r.finishReason = str(first, "finishReason");
    if (const auto content = first.find("content"); first.is_object() && content != first.end() && content->is_object()) {
        if (const auto parts = content->find("parts"); parts != content->end() && parts->is_array()) {
            for (const json &p : *parts) {
                if (!p.is_object())
                    continue;
                if (const auto thought = p.find("thought"); thought != p.end() && thought->is_boolean() && thought->get<bool>())
                    continue;
                r.text += str(p, "text");
            }
        }
    }
    return r;
}

namespace {
ModelInfo modelFrom(const json &m)
{
    ModelInfo info;
    info.name = str(m, "name");
    info.displayName = str(m, "displayName");
    info.version = str(m, "version");
    info.inputTokenLimit = integer(m, "inputTokenLimit");
    info.outputTokenLimit = integer(m, "outputTokenLimit");
    if (const auto it = m.find("supportedGenerationMethods"); it != m.end() && it->is_array())
        for (const json &method : *it)
            if (method.is_string())
                info.supportedGenerationMethods << QString::fromStdString(method.get<std::string>());
    return info;
}
} // namespace

Result<ModelInfo> parseModel(const QByteArray &body)
{
    const json doc = parseObject(body);
    if (!doc.is_object() || str(doc, "name").isEmpty())
        return badAnswer(QStringLiteral("model description"));
    return modelFrom(doc);
}

Result<std::vector<ModelInfo>> parseModelList(const QByteArray &body, QString *nextPageToken)
{
    const json doc = parseObject(body);
    if (!doc.is_object())
        return badAnswer(QStringLiteral("model list"));
    std::vector<ModelInfo> models;
    if (const auto it = doc.find("models"); it != doc.end() && it->is_array())
        for (const json &m : *it)
            if (m.is_object())
                models.push_back(modelFrom(m));
    if (nextPageToken)
        *nextPageToken = str(doc, "nextPageToken");
    return models;
}

Result<RemoteFile> parseFile(const QByteArray &body)
{
    json doc = parseObject(body);
    if (doc.is_object() && doc.contains("file") && doc["file"].is_object())
        doc = doc["file"];
    if (!doc.is_object() || str(doc, "name").isEmpty())
        return badAnswer(QStringLiteral("file description"));
    RemoteFile f;
    f.name = str(doc, "name");
    f.uri = str(doc, "uri");
    f.mimeType = str(doc, "mimeType");
    f.state = str(doc, "state");
    f.sizeBytes = integer(doc, "sizeBytes");
    if (const auto it = doc.find("error"); it != doc.end())
        f.errorMessage = str(*it, "message");
    return f;
}

std::optional<std::chrono::milliseconds> parseDuration(const QString &text)
{
    QString t = text.trimmed();
    if (!t.endsWith(u's'))
        return std::nullopt;
    t.chop(1);
    bool ok = false;
    const double seconds = t.toDouble(&ok);
    if (!ok || seconds < 0)
        return std::nullopt;
    return std::chrono::milliseconds(qint64(seconds * 1000.0 + 0.5));
}

ErrorBody parseErrorBody(const QByteArray &body)
{
    ErrorBody e;
    const json doc = parseObject(body);
    if (!doc.is_object() || !doc.contains("error") || !doc["error"].is_object())
        return e; // HTML from a front end, or nothing
    const json &err = doc["error"];
    e.code = int(integer(err, "code"));
    e.status = str(err, "status");
    e.message = str(err, "message");
    if (const auto details = err.find("details"); details != err.end() && details->is_array()) {
        for (const json &d : *details) {
            if (!d.is_object())
                continue;
            const QString type = str(d, "@type");
            if (type.endsWith(QLatin1String("RetryInfo"))) {
                e.retryDelay = parseDuration(str(d, "retryDelay"));
            } else if (type.endsWith(QLatin1String("Help"))) {
                if (const auto links = d.find("links"); links != d.end() && links->is_array())
                    for (const json &link : *links)
                        if (const QString url = str(link, "url"); !url.isEmpty())
                            e.helpLinks << url;
            } else if (type.endsWith(QLatin1String("ErrorInfo"))) {
                e.reasons << str(d, "reason");
            } else if (type.endsWith(QLatin1String("QuotaFailure"))) {
                if (const auto v = d.find("violations"); v != d.end() && v->is_array())
                    for (const json &violation : *v)
                        e.quotaIds << str(violation, "quotaId");
            }
        }
    }
    // Quota errors also say it in words ("Please retry in 20.04s."), sometimes without RetryInfo.
    static const QRegularExpression retryIn(QStringLiteral("retry in ([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s)\\b"),
                                            QRegularExpression::CaseInsensitiveOption);
    if (const auto m = retryIn.match(e.message); m.hasMatch() && !e.retryDelay) {
        const double value = m.captured(1).toDouble();
        e.retryDelay = std::chrono::milliseconds(qint64(m.captured(2) == QLatin1String("ms") ? value : value * 1000.0 + 0.5));
    }
    return e;
}

} // namespace mt::gemini::wire
