#include "net/RetryAfter.h"

#include <algorithm>

namespace mt::net {

std::optional<std::chrono::milliseconds> retryAfterHeader(const HttpAnswer &answer, const QDateTime &now)
{
    const QByteArray value = answer.headers.value("retry-after").trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qint64 seconds = value.toLongLong(&isNumber);
    if (isNumber) {
        if (seconds < 0)
            return std::nullopt;
        constexpr qint64 kDay = 24 * 3600; // longer means "not today"; capping keeps the product in range
        return std::chrono::milliseconds(std::min(seconds, kDay) * 1000);
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is a subset of RFC 2822's date syntax.
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return std::chrono::milliseconds(std::max<qint64>(now.msecsTo(when), 0));
}

} // namespace mt::net
