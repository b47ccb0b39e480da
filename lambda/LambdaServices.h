#pragma once

#include "aws/AwsConfig.h"
#include "common/Result.h"
#include "gemini/GeminiConfig.h"

#include <QCoreApplication>
#include <QString>

#include <memory>

namespace mt::aws {
class S3Client;
class LambdaInvoker;
} // namespace mt::aws

namespace mt::lambda {

class JsonLog;

// What the runtime builds once at init and every invocation shares: AWS configuration and
// clients, the Gemini configuration with its key (fetched from SSM at most once per process), and
// the function's own settings. Init is eager so the first invocation pays nothing extra, and
// small so a cold start stays fast.
class LambdaServices {
    Q_DECLARE_TR_FUNCTIONS(LambdaServices)
public:
    // GEMINI_API_KEY (or GOOGLE_API_KEY) wins; else the SecureString named by GEMINI_API_KEY_PARAM
    // is read from SSM; neither means the local offline analysis. An SSM failure is an error:
    // the function is misconfigured and must not silently fall back to a different engine.
    static Result<std::unique_ptr<LambdaServices>> initialize(JsonLog &log);
    ~LambdaServices();

    aws::S3Client &s3() { return *m_s3; }
    // For clients of other threads (an S3Client belongs to the thread that uses it).
    const aws::AwsConfig &awsConfig() const { return m_aws; }
    aws::LambdaInvoker &invoker() { return *m_invoker; }
    const gemini::GeminiConfig &gemini() const { return m_gemini; }
    bool useGemini() const { return !m_gemini.apiKey.isEmpty(); }
    QString mediaBucket() const { return m_mediaBucket; }   // MEDIA_BUCKET, for the HTTP routes
    QString functionName() const { return m_functionName; } // AWS_LAMBDA_FUNCTION_NAME, for self-invocation

private:
    LambdaServices() = default;
    aws::AwsConfig m_aws;
    std::unique_ptr<aws::S3Client> m_s3;
    std::unique_ptr<aws::LambdaInvoker> m_invoker;
    gemini::GeminiConfig m_gemini;
    QString m_mediaBucket;
    QString m_functionName;
};

} // namespace mt::lambda
