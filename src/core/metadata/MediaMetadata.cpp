#include "metadata/MediaMetadata.h"

#include <cmath>

namespace mt {

QString CaptureTime::toIso() const
{
    if (!dateTime.isValid())
        return {};
    if (!zoneKnown)
        return dateTime.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    return dateTime.toString(Qt::ISODate);
}

QString formatExposureTime(double seconds)
{
    if (seconds <= 0)
        return {};
    if (seconds < 0.5) {
        const double denominator = 1.0 / seconds;
        return QStringLiteral("1/%1 s").arg(std::lround(denominator));
    }
    return QStringLiteral("%1 s").arg(seconds, 0, 'g', 3);
}

} // namespace mt
