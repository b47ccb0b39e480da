#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <mutex>

namespace mt::lambda {

// Structured logs: one JSON object per line (CloudWatch keeps each as one event), with the time,
// level, request id and stage, plus counts and durations where a stage has them. Callers never
// pass secrets; messages are built from what the user can see anyway.
class JsonLog {
public:
    explicit JsonLog(std::FILE *out = stdout) : m_out(out) {}

    void setRequestId(const QByteArray &id);
    void info(const char *stage, const QString &message, const nlohmann::json &fields = {});
    void warn(const char *stage, const QString &message, const nlohmann::json &fields = {});
    void error(const char *stage, const QString &message, const nlohmann::json &fields = {});

private:
    void write(const char *level, const char *stage, const QString &message, const nlohmann::json &fields);

    std::FILE *m_out;
    std::mutex m_mutex;
    QByteArray m_requestId;
};

} // namespace mt::lambda
