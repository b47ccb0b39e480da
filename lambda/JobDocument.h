#pragma once

#include "aws/LambdaEvents.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace mt::lambda {

// `P_triage/job.json`: queued by POST /triage, then running/done/failed as the triage job goes.
nlohmann::json jobDocument(const QString &state, const aws::TriageRequest &request, const QByteArray &requestId,
                           const nlohmann::json &extra = {});

} // namespace mt::lambda
