#pragma once

#include "common/Result.h"
#include "gemini/GeminiConfig.h"
#include "gemini/GeminiTypes.h"

#include <QByteArray>

#include <chrono>
#include <optional>

// Wire format of the Gemini REST API (docs/gemini-rest.md): camelCase out, camelCase in, unknown
// members ignored, every field of a response treated as optional.
namespace mt::gemini::wire {

QByteArray generateContentBody(const GenerateRequest &request, const GeminiConfig &config, bool withThinking);

Result<GenerateResponse> parseGenerateResponse(const QByteArray &body);
Result<ModelInfo> parseModel(const QByteArray &body);
Result<std::vector<ModelInfo>> parseModelList(const QByteArray &body, QString *nextPageToken);
// Accepts both the upload answer ({"file": {...}}) and a files.get answer (the File itself).
Result<RemoteFile> parseFile(const QByteArray &body);

// google.rpc.Status of an error answer; every member optional, non-JSON bodies tolerated.
struct ErrorBody {
    int code = 0;
    QString status;
    QString message;
    QStringList reasons;  // ErrorInfo.reason values, e.g. API_KEY_INVALID
    QStringList quotaIds; // QuotaFailure violations
    QStringList helpLinks; // Help.links[].url
    std::optional<std::chrono::milliseconds> retryDelay; // RetryInfo, else "Please retry in N s" in the message
};
ErrorBody parseErrorBody(const QByteArray &body);

// Protobuf Duration ("47s", "0.5s", "1.000340012s").
std::optional<std::chrono::milliseconds> parseDuration(const QString &text);

} // namespace mt::gemini::wire
