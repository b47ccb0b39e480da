#include "triage/ResponseParser.h"

#include <nlohmann/json.hpp>

#include <QHash>

#include <optional>

namespace mt {

using json = nlohmann::json;

namespace {

json parseLenient(const std::string &text)
{
    return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// The JSON inside whatever the model wrapped around it.
json extractJson(const QString &raw)
{
    const std::string text = raw.trimmed().toStdString();
    if (json j = parseLenient(text); !j.is_discarded())
        return j;
    // Code fence: ```json ... ```
    if (const auto fence = text.find("```"); fence != std::string::npos) {
        const auto start = text.find('\n', fence);
        const auto end = start == std::string::npos ? std::string::npos : text.find("```", start);
        if (end != std::string::npos)
            if (json j = parseLenient(text.substr(start + 1, end - start - 1)); !j.is_discarded())
                return j;
    }
    // An array cut off mid-way (truncated output): keep the objects that are complete; the rest
    // are asked again.
    if (const auto first = text.find('['), last = text.rfind('}'); first != std::string::npos && last != std::string::npos && last > first)
        if (json j = parseLenient(text.substr(first, last - first + 1) + "]"); !j.is_discarded())
            return j;
    for (const auto &[open, close] : {std::pair{'[', ']'}, std::pair{'{', '}'}}) {
        const auto first = text.find(open);
        const auto last = text.rfind(close);
        if (first != std::string::npos && last != std::string::npos && last > first)
            if (json j = parseLenient(text.substr(first, last - first + 1)); !j.is_discarded())
                return j;
    }
    return json(json::value_t::discarded);
}

const json *verdictArray(const json &doc)
{
    if (doc.is_array())
        return &doc;
    if (!doc.is_object())
        return nullptr;
    for (const char *key : {"items", "verdicts", "results", "media"})
        if (const auto it = doc.find(key); it != doc.end() && it->is_array())
            return &*it;
    for (const auto &[_, value] : doc.items())
        if (value.is_array())
            return &value;
    // A single object for a single item.
    return nullptr;
}

std::optional<int> number(const json &o)
{
    for (const char *key : {"media", "number", "index"}) {
        const auto it = o.find(key);
        if (it == o.end())
            continue;
        if (it->is_number_integer())
            return it->get<int>();
        if (it->is_string()) {
            bool ok = false;
            const int n = QString::fromStdString(it->get<std::string>()).trimmed().toInt(&ok);
            if (ok)
                return n;
        }
    }
    return std::nullopt;
}

std::optional<bool> keep(const json &o)
{
    if (const auto it = o.find("saveable"); it != o.end()) {
        if (it->is_boolean())
            return it->get<bool>();
        if (it->is_string()) {
            const QString s = QString::fromStdString(it->get<std::string>()).trimmed().toLower();
            if (s == QLatin1String("true"))
                return true;
            if (s == QLatin1String("false"))
                return false;
        }
    }
    if (const auto it = o.find("verdict"); it != o.end() && it->is_string()) {
        const QString s = QString::fromStdString(it->get<std::string>()).trimmed().toLower();
        if (s == QLatin1String("keep"))
            return true;
        if (s == QLatin1String("discard"))
            return false;
    }
    return std::nullopt;
}

QString string(const json &o, const char *key)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()).trimmed() : QString();
}

} // namespace

ParsedAnswer parseVerdicts(const QString &text, const QList<ExpectedItem> &expected)
{
    ParsedAnswer answer;
    const json doc = extractJson(text);
    answer.foundJson = !doc.is_discarded();

    QHash<int, QString> names;
    for (const ExpectedItem &e : expected)
        names.insert(e.number, e.fileName);

    QHash<int, int> seen;
    std::map<int, ParsedVerdict> candidates;
    json single = json::array();
    const json *array = answer.foundJson ? verdictArray(doc) : nullptr;
    if (!array && doc.is_object()) {
        single.push_back(doc);
        array = &single;
    }
    if (array) {
        for (const json &o : *array) {
            if (!o.is_object())
                continue;
            const auto n = number(o);
            const auto k = keep(o);
            if (!n || !k || !names.contains(*n))
                continue;
            if (string(o, "filename").compare(names.value(*n), Qt::CaseInsensitive) != 0)
                continue; // a verdict under the wrong name may belong to another item: never guess
            ++seen[*n];
            QString reason = string(o, "reason");
            candidates[*n] = ParsedVerdict{*k, reason.isEmpty() ? QStringLiteral("(no reason given)") : reason};
        }
    }
    for (const ExpectedItem &e : expected) {
        if (seen.value(e.number) == 1)
            answer.verdicts[e.number] = candidates[e.number];
        else
            answer.missing << e.number;
    }
    return answer;
}

} // namespace mt
