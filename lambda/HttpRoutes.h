#pragma once

#include "aws/LambdaEvents.h"
#include "aws/LambdaRuntimeClient.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>

#include <nlohmann/json.hpp>

#include <optional>

namespace mt::lambda {

class JsonLog;
class LambdaServices;

// The HTTP API (payload 2.0) routes. Every answer is an explicit response object; problems of the
// request are 4xx with {"error": "..."}, problems reaching S3 or Lambda 502/503 with the same
// shape — never a function error, which API Gateway would turn into a bare 502. Long work never
// runs here (HTTP APIs give up after 30 s): POST /triage records a job and invokes the function
// itself asynchronously.
//
//   GET  /health
//   POST /triage                 {"prefix": P, "model": M?}         → 202, P_triage/job.json queued
//   GET  /triage/results?prefix=P                                   → job state (+ results when done)
//   POST /triage/confirm         {"prefix": P, "keys": [...]}       → deletes the listed discards only
//   GET  /upload-url?prefix=&filename=&contentType=                 → presigned PUT, 15 min
//
// The bucket is always MEDIA_BUCKET; a request naming another one is refused.
class HttpRoutes {
    Q_DECLARE_TR_FUNCTIONS(HttpRoutes)
public:
    HttpRoutes(LambdaServices &services, JsonLog &log) : m_services(services), m_log(log) {}

    QByteArray handle(const aws::HttpApiRequest &request, const aws::Invocation &invocation);

    static constexpr int kUploadUrlSeconds = 15 * 60;

private:
    QByteArray health();
    QByteArray startTriage(const aws::HttpApiRequest &request, const aws::Invocation &invocation);
    QByteArray results(const aws::HttpApiRequest &request);
    void addProgress(const QString &prefix, nlohmann::json &job);
    QByteArray confirm(const aws::HttpApiRequest &request);
    QByteArray uploadUrl(const aws::HttpApiRequest &request);

    struct StoredVerdict;
    using StoredVerdicts = QHash<QString, StoredVerdict>;
    static StoredVerdicts storedVerdicts(const nlohmann::json &results);
    std::optional<QString> confirmProblem(const QString &key, const QString &prefix, const StoredVerdicts &verdicts);
    bool markDeleted(const QString &prefix, nlohmann::json &results, const nlohmann::json &deleted);

    LambdaServices &m_services;
    JsonLog &m_log;
};

} // namespace mt::lambda
