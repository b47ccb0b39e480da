#pragma once

#include "ServerThread.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

class QObject;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace mt::fakes {

// What a generateContent call answers instead of the regular verdicts.
enum class Fault {
    None,
    RateLimited,     // 429 as the service sends it: two QuotaFailure violations, a Help link, RetryInfo,
                     // and "Please retry in <retryDelay>." in the message
    QuotaInWords,    // 429 whose only wait is "Please retry in <retryDelay>." in the message
    FreeTierZero,    // 429 "limit: 0": the model needs a paid plan
    CreditsDepleted, // 429 "Your prepayment credits are depleted"
    LocationUnsupported, // 400 FAILED_PRECONDITION "User location is not supported for the API use."
    ApiDisabled,     // 403 PERMISSION_DENIED, ErrorInfo SERVICE_DISABLED
    DailyQuota,      // 429 with a PerDay quota violation
    Unavailable,     // 503 with an HTML body, as front ends send
    TruncatedBody,   // 200 whose body stops half-way and the connection closes
    MalformedJson,   // the model's text is cut-off JSON
    ProseWrapped,    // the JSON sits in prose and a code fence
    MissingItem,     // the last item has no verdict
    WrongFileName,   // the first item comes back under another file name
    DuplicateItem,   // the first item comes back twice, with opposite verdicts
    SafetyBlock,     // candidate stopped with finishReason SAFETY, no content
    PromptBlocked,   // no candidates, promptFeedback.blockReason SAFETY
    MaxTokens,       // finishReason MAX_TOKENS, truncated text
    ThinkingOverrun, // thinking uses the whole maxOutputTokens: MAX_TOKENS with no answer text
    EmptyCandidates, // "candidates": []
    Slow,            // answers normally after FakeGeminiOptions::slowMs
    KeyRejected,     // 400 API_KEY_INVALID
    ModelNotFound,   // 404
};

struct FakeGeminiOptions {
    QString apiKey = QStringLiteral("fake-key-0123456789");
    QStringList models{QStringLiteral("gemini-test-flash")};
    int generateLatencyMs = 0;
    int uploadLatencyMs = 0;
    int slowMs = 3000;
    int processingPolls = 1;            // files.get answers PROCESSING this many times before ACTIVE
    qint64 maxRequestBytes = 20 << 20;  // what we promise to stay under; the real limit is higher
    QString retryDelay = QStringLiteral("0.05s");
    bool recordMedia = true;            // keep received image/video bytes for privacy checks
    int thinkingTokens = 200;           // what the model thinks per request (capped by a thinkingBudget)
    int answerTokensPerItem = 40;       // visible output per verdict
    int modelsPageSize = 0;             // models.list entries per page; 0: one page
    int maxVideosPerRequest = 10;       // Vertex AI's documented cap; more is a 400
};

struct FakeGeminiStats {
    int generateCalls = 0;   // every POST to :generateContent, answered or not
    int answeredCalls = 0;   // 200 answers with verdicts (billed)
    int modelGets = 0;
    int uploadsStarted = 0;
    int uploadsFinished = 0;
    int deletes = 0;
    int liveFiles = 0;       // uploaded and not deleted
    int rejected = 0;        // requests answered 4xx because they broke the protocol
    qint64 mediaBytes = 0;   // decoded inline media + uploaded bytes
    int mediaItems = 0;
    int maxConcurrentGenerate = 0;
    int vanished = 0;        // files that disappeared on their own (makeVanish)
    int modelListPages = 0;
};

// An in-process stand-in for the Gemini Developer API (Qt HttpServer on its own thread). It checks
// requests as strictly as the real service (key header, JSON shape and unknown fields, base64,
// MIME type against the bytes, upload protocol headers and offsets, file state before use,
// payload size) and records every breach in violations(). Answers are verdicts decided from the
// file names in the prompt (names containing "discard", "dark" or "blur" are discarded), unless a
// fault is scripted.
class FakeGeminiServer {
public:
    explicit FakeGeminiServer(FakeGeminiOptions options = {});
    ~FakeGeminiServer();

    bool start();
    QUrl baseUrl() const;
    const FakeGeminiOptions &options() const { return m_options; }
    void setGenerateLatencyMs(int ms);
    void setUploadLatencyMs(int ms);

    // Applied to the next generateContent calls, one each, in order.
    void queueFaults(const QList<Fault> &faults);
    // Applied to every call whose prompt contains this file name.
    void setFileFault(const QString &fileName, Fault fault);
    // Statuses the next upload starts answer with (e.g. 503).
    void queueUploadFailures(const QList<int> &statuses);
    // Uploaded files whose display name is listed end FAILED instead of ACTIVE.
    void failProcessingOf(const QString &displayName);
    // The next `times` uploads of this display name disappear (as a 48-hour expiry or a cleanup
    // elsewhere does): while being polled, or else when a generateContent first refers to them.
    // Afterwards they answer 403 like any missing file.
    enum class Vanish { WhilePolling, BeforeUse };
    void makeVanish(const QString &displayName, Vanish when, int times = 1);

    FakeGeminiStats stats() const;
    QStringList violations() const;
    QList<QByteArray> receivedMedia() const;
    // File names in the order they were judged by answered calls.
    QStringList judgedFiles() const;
    // generateContent calls still being answered (a delayed answer counts, and is paid for, when
    // it is written, even to a client that hung up).
    int generateCallsInFlight() const;
    void resetCounters();

private:
    struct Reply;
    struct UploadSession;
    struct StoredFile;
    void installRoutes(QHttpServer &server);
    void send(QHttpServerResponder &&responder, Reply reply, int delayMs);
    Reply handleGenerate(const QString &modelMethod, const QHttpServerRequest &request);
    Reply handleModelGet(const QString &model, const QHttpServerRequest &request);
    Reply handleModelList(const QHttpServerRequest &request);
    Reply handleUpload(const QHttpServerRequest &request);
    Reply handleFileGet(const QString &id, const QHttpServerRequest &request);
    Reply handleFileDelete(const QString &id, const QHttpServerRequest &request);
    std::optional<Reply> checkKey(const QHttpServerRequest &request);
    Reply reject(int status, const QString &grpcStatus, const QString &message);
    Reply missingFile(const QString &id);
    std::optional<Reply> checkThinking(const QString &model, const nlohmann::json &config);
    std::optional<Reply> faultReply(Fault fault, const QString &model);
    bool vanishes(StoredFile &file, Vanish at); // with m_mutex held
    QByteArray fileJson(const StoredFile &file) const;

    FakeGeminiOptions m_options;
    ServerThread m_serverThread{QStringLiteral("fake-gemini")};

    mutable std::mutex m_mutex;
    FakeGeminiStats m_stats;
    int m_inFlightGenerate = 0;
    QList<Fault> m_faults;
    QHash<QString, Fault> m_fileFaults;
    QList<int> m_uploadFailures;
    QStringList m_failProcessing;
    QHash<QString, QPair<Vanish, int>> m_vanish;
    QStringList m_violations;
    QList<QByteArray> m_media;
    QStringList m_judged;
    QHash<QString, std::shared_ptr<UploadSession>> m_sessions;
    QHash<QString, std::shared_ptr<StoredFile>> m_files;
    int m_nextId = 1;
};

} // namespace mt::fakes
