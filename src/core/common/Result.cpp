#include "common/Result.h"

namespace mt {

QString errorCodeName(Error::Code code)
{
    switch (code) {
    case Error::Code::NotFound: return QStringLiteral("not_found");
    case Error::Code::PermissionDenied: return QStringLiteral("permission_denied");
    case Error::Code::Empty: return QStringLiteral("empty");
    case Error::Code::UnsupportedFormat: return QStringLiteral("unsupported_format");
    case Error::Code::Corrupt: return QStringLiteral("corrupt");
    case Error::Code::Io: return QStringLiteral("io");
    case Error::Code::Cancelled: return QStringLiteral("cancelled");
    case Error::Code::Timeout: return QStringLiteral("timeout");
    case Error::Code::Network: return QStringLiteral("network");
    case Error::Code::InvalidArgument: return QStringLiteral("invalid_argument");
    case Error::Code::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

} // namespace mt
