#include "lambda/JobDocument.h"

#include <QDateTime>

namespace mt::lambda {

using nlohmann::json;

json jobDocument(const QString &state, const aws::TriageRequest &request, const QByteArray &requestId, const json &extra)
{
    json doc = {{"state", state.toStdString()},
                {"bucket", request.bucket.toStdString()},
                {"prefix", request.prefix.toStdString()},
                {"model", request.model.isEmpty() ? json() : json(request.model.toStdString())},
                {"requestId", requestId.toStdString()},
                {"updatedAt", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()}};
    if (extra.is_object())
        for (const auto &[k, v] : extra.items())
            doc[k] = v;
    return doc;
}

} // namespace mt::lambda
