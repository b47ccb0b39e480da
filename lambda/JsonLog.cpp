#include "lambda/JsonLog.h"

#include <QDateTime>

namespace mt::lambda {

void JsonLog::setRequestId(const QByteArray &id)
{
    std::lock_guard l(m_mutex);
    m_requestId = id;
}

void JsonLog::info(const char *stage, const QString &message, const nlohmann::json &fields) { write("info", stage, message, fields); }
void JsonLog::warn(const char *stage, const QString &message, const nlohmann::json &fields) { write("warn", stage, message, fields); }
void JsonLog::error(const char *stage, const QString &message, const nlohmann::json &fields) { write("error", stage, message, fields); }

void JsonLog::write(const char *level, const char *stage, const QString &message, const nlohmann::json &fields)
{
    nlohmann::ordered_json line;
    line["time"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    line["level"] = level;
    std::lock_guard l(m_mutex);
    line["requestId"] = m_requestId.isEmpty() ? nlohmann::ordered_json() : nlohmann::ordered_json(m_requestId.toStdString());
    line["stage"] = stage;
    if (fields.is_object())
        for (const auto &[k, v] : fields.items())
            line[k] = v;
    line["message"] = message.toStdString();
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
    std::fwrite(text.data(), 1, text.size(), m_out);
    std::fflush(m_out);
}

} // namespace mt::lambda
