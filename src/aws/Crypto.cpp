#include "aws/Crypto.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

namespace mt::aws {

QByteArray sha256(QByteArrayView data)
{
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int length = 0;
    // EVP_Digest is the one-shot form of Init/Update/Final; it cannot fail for SHA-256 on
    // valid input short of memory exhaustion, in which case an empty digest signals it.
    if (!EVP_Digest(data.data(), size_t(data.size()), reinterpret_cast<unsigned char *>(digest.data()), &length,
                    EVP_sha256(), nullptr))
        return {};
    digest.resize(qsizetype(length));
    return digest;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
    if (!mac)
        return {};
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()), EVP_MAC_CTX_free);
    char digestName[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0),
                                 OSSL_PARAM_construct_end()};
    QByteArray out(32, Qt::Uninitialized);
    size_t length = 0;
    if (!ctx || !EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char *>(key.data()), size_t(key.size()), params)
        || !EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()))
        || !EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &length, size_t(out.size())))
        return {};
    out.resize(qsizetype(length));
    return out;
}

} // namespace mt::aws
