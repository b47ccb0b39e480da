#pragma once

#include <QString>

#include <nlohmann/json.hpp>

namespace mt::lambda {

// Members of documents read back from the bucket (results.json, job.json, prepared.json): anyone
// with write access can change them, so a member of the wrong type reads as absent instead of
// throwing.
inline QString stringField(const nlohmann::json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

inline qint64 integerField(const nlohmann::json &object, const char *key, qint64 fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<qint64>() : fallback;
}

} // namespace mt::lambda
