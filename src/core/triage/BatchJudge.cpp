#include "triage/BatchJudge.h"

#include "triage/ResponseParser.h"

namespace mt {

std::vector<BatchJudge::Outcome> BatchJudge::judge(const std::vector<const PromptItem *> &entries)
{
    m_entries = &entries;
    std::vector<size_t> all(entries.size());
    for (size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    std::vector<Outcome> out;
    judgeGroup(all, out);
    m_entries = nullptr;
    return out;
}

void BatchJudge::failAll(const std::vector<size_t> &group, const Error &error, std::vector<Outcome> &out) const
{
    for (size_t e : group)
        out.push_back(Outcome{e, false, true, {}, error.message, error.code, {}});
}

void BatchJudge::judgeGroup(const std::vector<size_t> &group, std::vector<Outcome> &out)
{
    std::vector<size_t> pending = group;
    for (int asked = 0; !pending.empty(); ++asked) {
        if (m_fatal) {
            failAll(pending, *m_fatal, out);
            return;
        }
        if (asked > m_maxReasks) {
            failAll(pending, makeError(Error::Code::Internal, tr("no verdict: Gemini left this item out or misnamed it %n time(s)", nullptr, asked)), out);
            return;
        }
        std::vector<const PromptItem *> items;
        QList<ExpectedItem> expected;
        for (size_t e : pending) {
            items.push_back((*m_entries)[e]);
            expected << ExpectedItem{int(items.size()), (*m_entries)[e]->item->fileName};
        }
        auto response = m_client.generateContent(m_prompt.request(items), m_token);
        if (!response) {
            if (gemini::GeminiClient::isFatal(response.error()))
                m_fatal = response.error();
            failAll(pending, response.error(), out);
            return;
        }
        if (!response->complete()) {
            // Blocked or cut off: one item may be the cause (SAFETY), or the answer did not fit
            // (MAX_TOKENS). Halves isolate the first and shrink the second.
            if (pending.size() > 1) {
                const auto middle = pending.begin() + std::ptrdiff_t(pending.size() / 2);
                judgeGroup(std::vector<size_t>(pending.begin(), middle), out);
                judgeGroup(std::vector<size_t>(middle, pending.end()), out);
                return;
            }
            const QString why = !response->blockReason.isEmpty() ? response->blockReason
                : response->finishReason.isEmpty() ? tr("empty answer") : response->finishReason;
            failAll(pending, makeError(Error::Code::Internal, tr("no verdict: Gemini declined to judge this item (%1)").arg(why)), out);
            return;
        }
        const ParsedAnswer parsed = parseVerdicts(response->text, expected);
        std::vector<size_t> missing;
        for (int i = 0; i < int(pending.size()); ++i) {
            const auto it = parsed.verdicts.find(i + 1);
            if (it == parsed.verdicts.end()) {
                missing.push_back(pending[size_t(i)]);
                continue;
            }
            out.push_back(Outcome{pending[size_t(i)], true, it->second.keep, it->second.reason, {}, Error::Code::Internal, response->modelVersion});
        }
        pending = std::move(missing);
    }
}

} // namespace mt
