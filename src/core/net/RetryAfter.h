#pragma once

#include "net/HttpTransport.h"

#include <QDateTime>

#include <chrono>
#include <optional>

namespace mt::net {

// The wait an HTTP answer's Retry-After header asks for (RFC 9110 §10.2.3: delay-seconds or an
// HTTP-date, taken relative to `now`); nothing when the header is absent or unreadable. A date in
// the past asks for no wait.
std::optional<std::chrono::milliseconds> retryAfterHeader(const HttpAnswer &answer,
                                                          const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace mt::net
