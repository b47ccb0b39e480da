#pragma once

#include "net/RetryPolicy.h"

#include <QString>
#include <QUrl>

#include <chrono>

namespace mt::gemini {

using std::chrono::milliseconds;

using net::RetryPolicy;

// Google's SDK policy (gemini-rest.md §8.2): 5 attempts, 1 s doubling to 60 s, up to 1 s of added
// jitter. A server asking for more than two minutes (RetryInfo) is treated as "try again later"
// rather than blocking the run.
inline RetryPolicy geminiRetryPolicy()
{
    return RetryPolicy{.maxAttempts = 5,
                       .initialDelay = milliseconds(1000),
                       .maxDelay = milliseconds(60000),
                       .maxJitter = milliseconds(1000),
                       .jitterFraction = 0.0,
                       .maxServerDelay = milliseconds(120000)};
}

// Everything the client needs to reach Gemini. The key is held here only in memory; it is never
// logged, printed or put into an error message.
struct GeminiConfig {
    QUrl baseUrl{QStringLiteral("https://generativelanguage.googleapis.com")};
    QString apiKey;
    QString model = QStringLiteral("gemini-3.5-flash-lite");

    milliseconds requestTimeout{180000};   // one generateContent / metadata call, whole exchange
    milliseconds uploadTimeout{900000};    // one upload, start to finalize
    milliseconds filePollInterval{2000};   // first wait between state polls, doubles up to the max
    milliseconds filePollMaxInterval{10000};
    milliseconds fileActiveTimeout{600000};
    RetryPolicy retry = geminiRetryPolicy();

    // Sent as generationConfig.thinkingConfig.thinkingLevel to 3.x and later models; empty sends
    // none. Dropped automatically when the model rejects it.
    QString thinkingLevel = QStringLiteral("LOW");
    // Sent as thinkingBudget to 2.x models, which refuse levels. 512 is inside every 2.5 range
    // (Pro 128-32768, Flash 0-24576, Flash-Lite 0 or 512-24576; gemini-rest.md §2.7).
    int thinkingBudget = 512;
    QString mediaResolution = QStringLiteral("MEDIA_RESOLUTION_LOW");

    // This process's share of the project's quota (0: unlimited): generateContent requests and
    // input tokens per minute, waited for before each request (net::RequestRateLimiter). The
    // Lambda's shard workers split MT_GEMINI_RPM / MT_GEMINI_TPM between them this way.
    int requestsPerMinute = 0;
    qint64 tokensPerMinute = 0;

    // GEMINI_BASE_URL, GEMINI_MODEL and the key from GEMINI_API_KEY / GOOGLE_API_KEY.
    static GeminiConfig fromEnvironment();
};

} // namespace mt::gemini
