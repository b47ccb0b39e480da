#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "gemini/GeminiConfig.h"
#include "gemini/GeminiTypes.h"
#include "net/HttpTransport.h"
#include "gemini/UploadLedger.h"
#include "gemini/UsageMeter.h"

#include <QCoreApplication>

#include <functional>
#include <memory>
#include <vector>

namespace mt::gemini {

namespace wire {
struct ErrorBody;
}

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
    // Every file name this client starts uploading is written here first; share one per run.
    void setUploadLedger(std::shared_ptr<UploadLedger> ledger) { m_ledger = std::move(ledger); }
    std::shared_ptr<UploadLedger> uploadLedger() const { return m_ledger; }
    // Told before each wait a 429 imposes (its length) and once the wait is over (zero): the
    // progress line says "waiting for quota", the pipeline lowers its requests in flight.
    void setQuotaWaitObserver(std::function<void(std::chrono::milliseconds)> observer) { m_quotaWait = std::move(observer); }

    // models.get: the key check of the settings dialog and of the CLI's first call. Fails when the
    // model cannot generateContent.
    Result<ModelInfo> checkModel(const QString &model, const CancellationToken &token = {});
    // models.list, only models that support generateContent.
    Result<std::vector<ModelInfo>> listGenerateModels(const CancellationToken &token = {});

    Result<GenerateResponse> generateContent(const GenerateRequest &request, const CancellationToken &token = {});

    // Files API: resumable upload streamed from disk under a name chosen here (written to the
    // ledger before the upload starts), then polls until ACTIVE. A file that vanishes while
    // processing (403/404) is uploaded again, once. A file that ends FAILED (or never becomes
    // ACTIVE) is deleted before the error is returned.
    Result<RemoteFile> uploadFile(const QString &path, const QString &mimeType, const QString &displayName,
                                  const CancellationToken &token = {});
    Result<RemoteFile> getFile(const QString &name, const CancellationToken &token = {});
    Result<RemoteFile> waitUntilActive(const RemoteFile &file, const CancellationToken &token = {});
    // A file that is already gone (403/404 for our own upload) counts as deleted.
    Status deleteFile(const QString &name, const CancellationToken &token = {});

    // After a failed call: the name ("files/<id>") of our upload that Gemini said is gone (expired,
    // deleted, never finished), else empty. A generateContent failing for this reason can be asked
    // again once the file is uploaded anew.
    const QString &goneFile() const { return m_goneFile; }
    // A fresh client-chosen Files API name: lowercase alphanumerics and '-', at most 40 characters.
    static QString newFileName();

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
    Error describeQuota(const wire::ErrorBody &e, const QString &said) const;
    static QString goneFileIn(Operation op, const HttpAnswer &answer, const QString &subject);
    Result<RemoteFile> uploadOnce(const QString &path, const QString &mimeType, const QString &displayName,
                                  const CancellationToken &token);
    QList<QPair<QByteArray, QByteArray>> authHeaders() const;
    QUrl endpoint(const QString &path) const;

    GeminiConfig m_config;
    std::shared_ptr<UsageMeter> m_usage;
    HttpTransport m_http;
    std::shared_ptr<UploadLedger> m_ledger = std::make_shared<UploadLedger>();
    std::function<void(std::chrono::milliseconds)> m_quotaWait;
    QString m_goneFile;
    bool m_thinkingRejected = false;
};

} // namespace mt::gemini
