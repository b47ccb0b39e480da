#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace mt::aws {

// SHA-256 and HMAC-SHA256 through OpenSSL 3's EVP interfaces (no deprecated calls).
QByteArray sha256(QByteArrayView data);
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
inline QByteArray sha256Hex(QByteArrayView data) { return sha256(data).toHex(); }

} // namespace mt::aws
