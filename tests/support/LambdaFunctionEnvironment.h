#pragma once

// The environment a `bootstrap` under test runs with: s3rver's credentials and endpoint, the fake
// Gemini, the function's name and bucket, and nothing of the AWS_, GEMINI_ or MT_ settings of the
// person running the tests (nor their ~/.aws: HOME is a folder of the test's own).

#include "S3rver.h"

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

namespace mt::test {

struct FakeGeminiEndpoint {
    QUrl baseUrl;
    QString model;
    QString apiKey; // empty: no key, the offline analysis
};

inline QProcessEnvironment lambdaFunctionEnvironment(const QString &home, const QUrl &s3Endpoint, const QString &bucket,
                                                     const FakeGeminiEndpoint &gemini)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys())
        if (name.startsWith(QLatin1String("AWS_")) || name.startsWith(QLatin1String("GEMINI_")) || name.startsWith(QLatin1String("MT_"))
            || name == QLatin1String("GOOGLE_API_KEY"))
            env.remove(name);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(S3rver::accessKeyId()));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(S3rver::secretAccessKey()));
    env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_S3"), s3Endpoint.toString());
    env.insert(QStringLiteral("AWS_LAMBDA_FUNCTION_NAME"), QStringLiteral("mediatriage"));
    env.insert(QStringLiteral("MEDIA_BUCKET"), bucket);
    env.insert(QStringLiteral("GEMINI_BASE_URL"), gemini.baseUrl.toString());
    env.insert(QStringLiteral("GEMINI_MODEL"), gemini.model);
    if (!gemini.apiKey.isEmpty())
        env.insert(QStringLiteral("GEMINI_API_KEY"), gemini.apiKey);
    return env;
}

} // namespace mt::test
