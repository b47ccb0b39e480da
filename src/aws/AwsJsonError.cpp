#include "aws/AwsJsonError.h"

#include <nlohmann/json.hpp>

namespace mt::aws {

QString shortErrorType(const QString &type)
{
    QString name = type.trimmed();
    const qsizetype hash = name.lastIndexOf(u'#');
    if (hash >= 0)
        name = name.mid(hash + 1);
    const qsizetype colon = name.indexOf(u':');
    if (colon >= 0)
        name = name.left(colon);
    return name.trimmed();
}

AwsJsonError parseAwsJsonError(const net::HttpAnswer &answer)
{
    AwsJsonError error;
    try {
        const auto json = nlohmann::json::parse(answer.body.constData(), answer.body.constData() + answer.body.size());
        if (json.is_object()) {
            for (const char *typeKey : {"__type", "code", "Code"}) {
                if (auto it = json.find(typeKey); it != json.end() && it->is_string()) {
                    error.type = QString::fromStdString(it->get<std::string>());
                    break;
                }
            }
            for (const char *messageKey : {"message", "Message", "errorMessage"}) {
                if (auto it = json.find(messageKey); it != json.end() && it->is_string()) {
                    error.message = QString::fromStdString(it->get<std::string>());
                    break;
                }
            }
        }
    } catch (const nlohmann::json::exception &) {
        // Not JSON (a proxy's HTML page, an empty body): the header may still name the error.
    }
    if (error.type.isEmpty())
        error.type = QString::fromLatin1(answer.headers.value("x-amzn-errortype"));
    error.type = shortErrorType(error.type);
    return error;
}

} // namespace mt::aws
