#pragma once

#include <QString>
#include <QUrl>

#include <chrono>

namespace mt::gemini {

using std::chrono::milliseconds;

// How often and how patiently a request is retried. Defaults follow Google's own SDK (5 attempts,
// 1 s doubling to 60 s, up to 1 s jitter); tests shrink them to milliseconds.
struct RetryPolicy {
    int maxAttempts = 5;
    milliseconds initialDelay{1000};
    milliseconds maxDelay{60000};
    milliseconds maxJitter{1000};
    // A server asking us to wait longer than this (RetryInfo) is treated as "try again later"
    // rather than blocking the run for minutes.
    milliseconds maxServerDelay{120000};
};

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
    RetryPolicy retry;

    // Sent as generationConfig.thinkingConfig.thinkingLevel; empty sends none. Dropped
    // automatically when the model rejects it.
    QString thinkingLevel = QStringLiteral("LOW");
    QString mediaResolution = QStringLiteral("MEDIA_RESOLUTION_LOW");

    // GEMINI_BASE_URL, GEMINI_MODEL and the key from GEMINI_API_KEY / GOOGLE_API_KEY.
    static GeminiConfig fromEnvironment();
};

} // namespace mt::gemini
