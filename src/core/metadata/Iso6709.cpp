#include "metadata/Iso6709.h"

#include <QRegularExpression>

#include <cmath>

namespace mt {

namespace {

// One signed coordinate whose integer part holds degDigits of degrees, optionally followed by
// two digits of minutes and two of seconds; the decimal part belongs to the last unit.
std::optional<double> parseAngle(QStringView text, int degDigits)
{
    const bool negative = text.front() == u'-';
    const QStringView body = text.sliced(1);
    const qsizetype dot = body.indexOf(u'.');
    const qsizetype intDigits = dot < 0 ? body.size() : dot;
    const QStringView fraction = dot < 0 ? QStringView() : body.sliced(dot);
    double value = 0;
    bool ok = true;
    if (intDigits <= degDigits) { // DD.DDDD (leading zeros sometimes omitted)
        value = body.toDouble(&ok);
    } else if (intDigits == degDigits + 2) { // DDMM.MMM
        const double deg = body.first(degDigits).toInt(&ok);
        bool ok2 = true;
        const double min = (body.sliced(degDigits, 2).toString() + fraction.toString()).toDouble(&ok2);
        ok = ok && ok2 && min < 60;
        value = deg + min / 60.0;
    } else if (intDigits == degDigits + 4) { // DDMMSS.SS
        const double deg = body.first(degDigits).toInt(&ok);
        bool ok2 = true, ok3 = true;
        const double min = body.sliced(degDigits, 2).toInt(&ok2);
        const double sec = (body.sliced(degDigits + 2, 2).toString() + fraction.toString()).toDouble(&ok3);
        ok = ok && ok2 && ok3 && min < 60 && sec < 60;
        value = deg + min / 60.0 + sec / 3600.0;
    } else {
        return std::nullopt;
    }
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return negative ? -value : value;
}

} // namespace

std::optional<GpsPosition> parseIso6709(QStringView text)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\s*([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)?(?:CRS[^/]*)?/?\s*$)"));
    const auto m = re.match(text.toString());
    if (!m.hasMatch())
        return std::nullopt;
    const auto lat = parseAngle(m.capturedView(1), 2);
    const auto lon = parseAngle(m.capturedView(2), 3);
    if (!lat || !lon || std::abs(*lat) > 90 || std::abs(*lon) > 180)
        return std::nullopt;
    GpsPosition pos;
    pos.latitude = *lat;
    pos.longitude = *lon;
    if (m.hasCaptured(3)) {
        bool ok = false;
        const double alt = m.capturedView(3).toDouble(&ok);
        if (ok && std::isfinite(alt))
            pos.altitude = alt;
    }
    return pos;
}

} // namespace mt
