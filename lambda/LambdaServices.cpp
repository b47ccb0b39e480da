#include "lambda/LambdaServices.h"

#include "aws/LambdaInvoker.h"
#include "aws/S3Client.h"
#include "aws/SsmClient.h"
#include "lambda/JsonLog.h"
#include "lambda/WorkDir.h"

#include <QElapsedTimer>

namespace mt::lambda {

LambdaServices::~LambdaServices() = default;

Result<std::unique_ptr<LambdaServices>> LambdaServices::initialize(JsonLog &log)
{
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<LambdaServices> s(new LambdaServices);
    s->m_aws = aws::AwsConfig::fromEnvironment();
    s->m_s3 = std::make_unique<aws::S3Client>(s->m_aws);
    s->m_invoker = std::make_unique<aws::LambdaInvoker>(s->m_aws);
    s->m_mediaBucket = qEnvironmentVariable("MEDIA_BUCKET");
    s->m_functionName = qEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");
    s->m_gemini = gemini::GeminiConfig::fromEnvironment();

    QString keySource;
    // The key from GEMINI_API_KEY/GOOGLE_API_KEY came with the rest of the environment above.
    if (!s->m_gemini.apiKey.isEmpty()) {
        keySource = QStringLiteral("environment");
    } else if (const QString param = qEnvironmentVariable("GEMINI_API_KEY_PARAM"); !param.isEmpty()) {
        aws::SsmClient ssm(s->m_aws);
        auto key = ssm.getParameter(param, true);
        if (!key)
            return makeError(key.error().code,
                             tr("cannot read the Gemini key from SSM parameter %1: %2").arg(param, key.error().message));
        if (key->trimmed().isEmpty())
            return makeError(Error::Code::Empty, tr("the SSM parameter %1 holds an empty Gemini key").arg(param));
        s->m_gemini.apiKey = key->trimmed();
        keySource = QStringLiteral("ssm");
    }
    if (const int stale = WorkDir::removeStale(); stale > 0)
        log.warn("init", tr("removed %n work folder(s) left by an interrupted invocation", nullptr, stale));
    log.info("init",
             s->useGemini() ? tr("Gemini triage with model %1").arg(s->m_gemini.model)
                            : tr("no Gemini key (GEMINI_API_KEY or GEMINI_API_KEY_PARAM): local offline quality analysis"),
             {{"engine", s->useGemini() ? "gemini" : "local"},
              {"keySource", keySource.isEmpty() ? nlohmann::json() : nlohmann::json(keySource.toStdString())},
              {"region", s->m_aws.region().toStdString()},
              {"durationMs", timer.elapsed()}});
    return s;
}

} // namespace mt::lambda
