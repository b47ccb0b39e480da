#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "gemini/GeminiClient.h"
#include "triage/TriagePrompt.h"

#include <QCoreApplication>

#include <functional>
#include <optional>
#include <set>
#include <vector>

namespace mt {

// Gets exactly one verdict per item of a batch from Gemini, or a "no verdict" error: items left
// out or mismatched are asked again (at most `maxReasks` times), answers that were blocked or cut
// off (SAFETY, MAX_TOKENS, empty) split the batch in halves until the culprit stands alone. Two
// failures are mended before that, once each: an answer cut off while thinking (MAX_TOKENS, no
// text) is asked again with twice the output allowance, and a request failing because an item's
// uploaded file is gone re-uploads that item and asks again.
class BatchJudge {
    Q_DECLARE_TR_FUNCTIONS(BatchJudge)
public:
    struct Outcome {
        size_t entry = 0; // index into the entries given to judge()
        bool ok = false;
        bool keep = true;
        QString reason;
        QString error;
        Error::Code errorCode = Error::Code::Internal;
        QString modelVersion;
    };

    // How the caller takes part in each request.
    struct Hooks {
        // Before each request (budget, concurrency): an error refuses it and fails its items.
        std::function<std::optional<Error>(const std::vector<size_t> &entries, const gemini::GenerateRequest &request)> beforeRequest;
        // After each request that beforeRequest let through, answered or not.
        std::function<void()> afterRequest;
        // Uploads an entry's media again and updates its PromptItem (its file is gone).
        std::function<Status(size_t entry)> renewFile;
    };

    BatchJudge(gemini::GeminiClient &client, const TriagePrompt &prompt, int maxReasks, CancellationToken token,
               Hooks hooks = {})
        : m_client(client), m_prompt(prompt), m_maxReasks(maxReasks), m_token(std::move(token)), m_hooks(std::move(hooks)) {}

    std::vector<Outcome> judge(const std::vector<const PromptItem *> &entries);

    // Set when a request failed in a way no later request can recover from (key, model, quota).
    const std::optional<Error> &fatalError() const { return m_fatal; }

private:
    enum class Step { Answered, Again, Done };
    void judgeGroup(const std::vector<size_t> &group, std::vector<Outcome> &out);
    Result<gemini::GenerateResponse> ask(const std::vector<size_t> &pending);
    Step mendFailure(const Error &error, std::vector<size_t> &pending, std::vector<Outcome> &out);
    void failAll(const std::vector<size_t> &group, const Error &error, std::vector<Outcome> &out) const;
    std::optional<size_t> entryWithFile(const std::vector<size_t> &pending, const QString &fileName) const;

    gemini::GeminiClient &m_client;
    const TriagePrompt &m_prompt;
    int m_maxReasks;
    CancellationToken m_token;
    Hooks m_hooks;
    const std::vector<const PromptItem *> *m_entries = nullptr;
    std::optional<Error> m_fatal;
    QString m_goneFile;          // of the last request: the upload Gemini said is gone
    std::set<size_t> m_renewed;  // entries whose file was uploaded again
    int m_outputFactor = 1;      // 2 once an answer was cut off while thinking
};

} // namespace mt
