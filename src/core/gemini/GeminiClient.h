#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "gemini/GeminiConfig.h"
#include "gemini/GeminiTypes.h"
#include "net/HttpTransport.h"
#include "gemini/UsageMeter.h"

#include <QCoreApplication>

#include <functional>
#include <memory>
#include <vector>

namespace mt::gemini {

using net::HttpAnswer;
using net::HttpCall;
using net::HttpTransport;

// Synchronous client for the Gemini Developer API (generateContent, Files API, models). Each call
// blocks its thread on a local event loop; retries transient failures by the shared
// net::RetryPolicy (honouring RetryInfo and Retry-After), never retries requests Gemini rejected,
// and turns every failure into an Error a person can act on, with the key and upload addresses
// scrubbed out.
//
// One instance per thread: make one per worker; they can share a UsageMeter.
class GeminiClient {
    Q_DECLARE_TR_FUNCTIONS(GeminiClient)
public:
    explicit GeminiClient(GeminiConfig config, std::shared_ptr<UsageMeter> usage = {});

    const GeminiConfig &config() const { return m_config; }
    std::shared_ptr<UsageMeter> usageMeter() const { return m_usage; }

    // models.get: the key check of the settings dialog and of the CLI's first call. Fails when the
    // model cannot generateContent.
    Result<ModelInfo> checkModel(const QString &model, const CancellationToken &token = {});
    // models.list, only models that support generateContent.
    Result<std::vector<ModelInfo>> listGenerateModels(const CancellationToken &token = {});

    Result<GenerateResponse> generateContent(const GenerateRequest &request, const CancellationToken &token = {});

    // Files API: resumable upload streamed from disk, then polls until ACTIVE. A file that ends
    // FAILED (or never becomes ACTIVE) is deleted before the error is returned.
    Result<RemoteFile> uploadFile(const QString &path, const QString &mimeType, const QString &displayName,
                                  const CancellationToken &token = {});
    Result<RemoteFile> getFile(const QString &name, const CancellationToken &token = {});
    Result<RemoteFile> waitUntilActive(const RemoteFile &file, const CancellationToken &token = {});
    Status deleteFile(const QString &name, const CancellationToken &token = {});

    // Errors after which no further request of the run can succeed (key rejected, model unknown,
    // quota or credit exhausted): the engine stops instead of failing item after item.
    static bool isFatal(const Error &error);

    // Removes the key and upload addresses from text meant for people or logs.
    QString scrub(QString text) const;

private:
    enum class Operation { Generate, Model, ModelList, Upload, File, DeleteFile };
    Result<HttpAnswer> call(Operation op, const std::function<Result<HttpAnswer>()> &attempt,
                            const CancellationToken &token, const QString &subject);
    Error describe(Operation op, const HttpAnswer &answer, const QString &subject) const;
    QList<QPair<QByteArray, QByteArray>> authHeaders() const;
    QUrl endpoint(const QString &path) const;

    GeminiConfig m_config;
    std::shared_ptr<UsageMeter> m_usage;
    HttpTransport m_http;
    bool m_thinkingRejected = false;
};

} // namespace mt::gemini
