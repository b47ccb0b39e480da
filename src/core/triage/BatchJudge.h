#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "gemini/GeminiClient.h"
#include "triage/TriagePrompt.h"

#include <QCoreApplication>

#include <optional>
#include <vector>

namespace mt {

// Gets exactly one verdict per item of a batch from Gemini, or a "no verdict" error: items left
// out or mismatched are asked again (at most `maxReasks` times), answers that were blocked or cut
// off (SAFETY, MAX_TOKENS, empty) split the batch in halves until the culprit stands alone.
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

    BatchJudge(gemini::GeminiClient &client, const TriagePrompt &prompt, int maxReasks, CancellationToken token)
        : m_client(client), m_prompt(prompt), m_maxReasks(maxReasks), m_token(std::move(token)) {}

    std::vector<Outcome> judge(const std::vector<const PromptItem *> &entries);

    // Set when a request failed in a way no later request can recover from (key, model, quota).
    const std::optional<Error> &fatalError() const { return m_fatal; }

private:
    void judgeGroup(const std::vector<size_t> &group, std::vector<Outcome> &out);
    void failAll(const std::vector<size_t> &group, const Error &error, std::vector<Outcome> &out) const;

    gemini::GeminiClient &m_client;
    const TriagePrompt &m_prompt;
    int m_maxReasks;
    CancellationToken m_token;
    const std::vector<const PromptItem *> *m_entries = nullptr;
    std::optional<Error> m_fatal;
};

} // namespace mt
