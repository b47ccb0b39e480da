#include "net/RetryAfter.h"

#include <QLocale>
#include <QTimeZone>

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
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), always in GMT and in English, which Qt's
    // RFC 2822 parser refuses for its zone name.
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(value), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    when.setTimeZone(QTimeZone::utc());
    if (!when.isValid())
        return std::nullopt;
    return std::chrono::milliseconds(std::max<qint64>(now.msecsTo(when), 0));
}

} // namespace mt::net
