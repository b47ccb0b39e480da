// The S3 response parsers read bodies and headers from whatever answered at the endpoint
// (AWS, a stand-in, a proxy's error page).
#include "FuzzSupport.h"
#include "aws/S3Wire.h"

using namespace mt::aws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = mt::fuzz::bytes(data, size);
    if (const auto page = s3::parseListObjectsV2(body)) {
        for (const S3ObjectInfo &o : page->objects)
            (void)unquotedEtag(o.etag);
    }
    (void)s3::parseDeleteResult(body);
    (void)s3::parseError(body);
    (void)s3::parseHttpDate(body);
    (void)s3::parseIsoDate(QString::fromUtf8(body));
    // The same bytes as response headers, one "name: value" a line.
    QHash<QByteArray, QByteArray> headers;
    for (const QByteArray &line : body.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    (void)s3::headFromHeaders(headers);
    return 0;
}
