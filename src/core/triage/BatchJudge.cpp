#include "triage/BatchJudge.h"

#include "triage/ResponseParser.h"

#include <algorithm>

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

std::optional<size_t> BatchJudge::entryWithFile(const std::vector<size_t> &pending, const QString &fileName) const
{
    const QString suffix = QLatin1Char('/') + fileName;
    for (size_t e : pending)
        if (const auto *f = std::get_if<gemini::FileMediaPart>(&(*m_entries)[e]->media); f && f->fileUri.endsWith(suffix))
            return e;
    return std::nullopt;
}

Result<gemini::GenerateResponse> BatchJudge::ask(const std::vector<size_t> &pending)
{
    std::vector<const PromptItem *> items;
    for (size_t e : pending)
        items.push_back((*m_entries)[e]);
    gemini::GenerateRequest request = m_prompt.request(items);
    request.maxOutputTokens = std::min(65536, request.maxOutputTokens * m_outputFactor);
    m_goneFile.clear();
    if (m_hooks.beforeRequest)
        if (auto refused = m_hooks.beforeRequest(pending, request))
            return *refused;
    auto response = m_client.generateContent(request, m_token);
    m_goneFile = m_client.goneFile();
    if (m_hooks.afterRequest)
        m_hooks.afterRequest();
    return response;
}

// A failed request: an item whose upload is gone is uploaded again and the rest asked again
// (twice gone: that item alone fails); anything else fails the whole group.
BatchJudge::Step BatchJudge::mendFailure(const Error &error, std::vector<size_t> &pending, std::vector<Outcome> &out)
{
    const auto gone = m_goneFile.isEmpty() ? std::nullopt : entryWithFile(pending, m_goneFile);
    if (!gone) {
        if (gemini::GeminiClient::isFatal(error))
            m_fatal = error;
        failAll(pending, error, out);
        return Step::Done;
    }
    pending.erase(std::find(pending.begin(), pending.end(), *gone));
    if (m_hooks.renewFile && m_renewed.insert(*gone).second) {
        const Status renewed = m_hooks.renewFile(*gone);
        if (renewed) {
            pending.push_back(*gone);
            std::sort(pending.begin(), pending.end());
        } else {
            failAll({*gone}, makeError(renewed.error().code, tr("upload failed again: %1").arg(renewed.error().message)), out);
        }
    } else {
        failAll({*gone}, makeError(error.code, tr("%1 It was uploaded again and went missing again.").arg(error.message)), out);
    }
    return pending.empty() ? Step::Done : Step::Again;
}

void BatchJudge::judgeGroup(const std::vector<size_t> &group, std::vector<Outcome> &out)
{
    std::vector<size_t> pending = group;
    for (int asked = 0; !pending.empty();) {
        if (m_fatal) {
            failAll(pending, *m_fatal, out);
            return;
        }
        if (asked > m_maxReasks) {
            failAll(pending, makeError(Error::Code::Internal, tr("no verdict: Gemini left this item out or misnamed it %n time(s)", nullptr, asked)), out);
            return;
        }
        auto response = ask(pending);
        if (!response) {
            if (mendFailure(response.error(), pending, out) == Step::Done)
                return;
            continue;
        }
        if (!response->complete()) {
            // Cut off while thinking, before any answer: room was short, not the items' fault.
            if (response->finishReason == QLatin1String("MAX_TOKENS") && response->text.trimmed().isEmpty()
                && m_outputFactor == 1) {
                m_outputFactor = 2;
                continue;
            }
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
        QList<ExpectedItem> expected;
        for (size_t e : pending)
            expected << ExpectedItem{int(expected.size()) + 1, (*m_entries)[e]->item->fileName};
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
        ++asked;
    }
}

} // namespace mt
