#include "triage/TriagePrompt.h"

#include "metadata/MetadataFormatter.h"

#include <QCryptographicHash>

namespace mt {

const char *triageSystemPromptText(); // generated from resources/prompts/triage-system.txt

TriagePrompt::TriagePrompt(Options options) : m_options(options) {}

QString TriagePrompt::systemInstruction()
{
    return QString::fromUtf8(triageSystemPromptText()).trimmed();
}

nlohmann::json TriagePrompt::responseSchema()
{
    using json = nlohmann::json;
    json item = {{"type", "OBJECT"},
                 {"properties", {{"media", {{"type", "INTEGER"}}},
                                 {"filename", {{"type", "STRING"}}},
                                 {"saveable", {{"type", "BOOLEAN"}}},
                                 {"reason", {{"type", "STRING"}}}}},
                 {"required", {"media", "filename", "saveable", "reason"}},
                 {"propertyOrdering", {"media", "filename", "saveable", "reason"}}};
    return json{{"type", "ARRAY"}, {"items", item}};
}

QString TriagePrompt::version()
{
    static const QString v = [] {
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(systemInstruction().toUtf8());
        hash.addData(QByteArray::fromStdString(responseSchema().dump()));
        return QStringLiteral("p1-") + QString::fromLatin1(hash.result().toHex().left(12));
    }();
    return v;
}

int TriagePrompt::maxOutputTokens(int itemCount) const
{
    return std::min(65536, m_options.thinkingAllowance + m_options.outputTokensPerItem * std::max(1, itemCount));
}

gemini::GenerateRequest TriagePrompt::request(const std::vector<const PromptItem *> &items) const
{
    gemini::GenerateRequest r;
    r.systemInstruction = systemInstruction();
    QStringList blocks;
    int number = 0;
    for (const PromptItem *p : items) {
        blocks << MetadataFormatter::promptBlock(++number, *p->item, *p->metadata,
                                                 MetadataFormatter::PromptOptions{m_options.includeLocation});
        if (!p->hint.isEmpty())
            blocks.last() += QLatin1Char('\n') + p->hint;
    }
    r.parts.push_back(gemini::TextPart{
        QStringLiteral("Judge these %1 items. The media follow the list in the same order.\n\n").arg(items.size())
        + blocks.join(QStringLiteral("\n\n"))});
    for (const PromptItem *p : items)
        r.parts.push_back(p->media);
    r.responseSchema = responseSchema();
    r.maxOutputTokens = maxOutputTokens(int(items.size()));
    return r;
}

} // namespace mt
