#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <variant>
#include <vector>

namespace mt::gemini {

struct TextPart {
    QString text;
};
struct InlineMediaPart {
    QString mimeType;
    QByteArray data; // raw bytes; base64-encoded on the wire
};
struct FileMediaPart {
    QString mimeType;
    QString fileUri;
};
using Part = std::variant<TextPart, InlineMediaPart, FileMediaPart>;

struct GenerateRequest {
    QString systemInstruction;
    std::vector<Part> parts; // one user turn
    nlohmann::json responseSchema; // OpenAPI-style schema; null sends plain JSON mode
    int maxOutputTokens = 4096;
};

struct TokenUsage {
    qint64 promptTokens = 0;
    qint64 candidateTokens = 0;
    qint64 thoughtTokens = 0;
    qint64 totalTokens = 0;
    // Thinking is billed as output.
    qint64 outputTokens() const { return candidateTokens + thoughtTokens; }
};

struct GenerateResponse {
    QString text;          // answer text, thought parts left out
    QString finishReason;  // "STOP" is the only complete answer; empty when no candidate came back
    QString blockReason;   // promptFeedback.blockReason when the prompt itself was blocked
    QString modelVersion;
    QString responseId;
    TokenUsage usage;

    bool complete() const { return blockReason.isEmpty() && finishReason == QLatin1String("STOP"); }
};

struct ModelInfo {
    QString name; // "models/<id>"
    QString id() const { return name.startsWith(QLatin1String("models/")) ? name.mid(7) : name; }
    QString displayName;
    QString version;
    QStringList supportedGenerationMethods;
    qint64 inputTokenLimit = 0;
    qint64 outputTokenLimit = 0;
    bool supportsGenerateContent() const { return supportedGenerationMethods.contains(QLatin1String("generateContent")); }
};

struct RemoteFile {
    QString name;  // "files/<id>"
    QString uri;
    QString mimeType;
    QString state; // PROCESSING, ACTIVE, FAILED
    QString errorMessage;
    qint64 sizeBytes = 0;
};

} // namespace mt::gemini
