// The Lambda runtime decodes every event it is invoked with: direct invokes, S3 notifications and
// API Gateway HTTP API requests (whose body and query come from anyone who can reach the URL).
#include "FuzzSupport.h"
#include "aws/LambdaEvents.h"

using namespace mt::aws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray raw = mt::fuzz::bytes(data, size);
    (void)decodeS3EventKey(raw);
    const nlohmann::json event = nlohmann::json::parse(raw.constData(), raw.constData() + raw.size(),
                                                       nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded())
        return 0;
    (void)classifyEvent(event);
    (void)parseTriageRequest(event);
    (void)parseTriageRequest(event, false);
    (void)parseS3Records(event);
    if (const auto request = parseHttpApiRequest(event)) {
        // The HTTP API hands the decoded body to the triage request parser as POST /triage does.
        const nlohmann::json body = nlohmann::json::parse(request->body.constData(),
                                                          request->body.constData() + request->body.size(),
                                                          nullptr, false);
        if (!body.is_discarded())
            (void)parseTriageRequest(body, false);
    }
    return 0;
}
