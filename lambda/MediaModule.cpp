// libmediatriage_lambda_media.so: the media handlers behind lambda/MediaJobs.h.
#include "lambda/FanoutJob.h"
#include "lambda/MediaJobs.h"
#include "lambda/SelfTest.h"
#include "lambda/UploadPreparer.h"

#include <QtGlobal>

namespace mt::lambda {
namespace {

class ModuleJobs final : public MediaJobs {
public:
    Result<nlohmann::json> triage(LambdaServices &services, JsonLog &log, const aws::TriageRequest &request,
                                  const aws::Invocation &invocation) override
    {
        return FanoutJob(services, log).coordinate(request, invocation);
    }
    Result<nlohmann::json> triageShard(LambdaServices &services, JsonLog &log, const nlohmann::json &event,
                                       const aws::Invocation &invocation) override
    {
        if (const auto failed = FanoutPlan::parseFailureRecord(event))
            return FanoutJob(services, log).shardFailed(failed->first, failed->second, invocation);
        auto shard = FanoutPlan::parseShardEvent(event);
        if (!shard)
            return shard.error();
        return FanoutJob(services, log).runShard(*shard, invocation);
    }
    Result<nlohmann::json> prepareUploads(LambdaServices &services, JsonLog &log,
                                          const std::vector<aws::S3ObjectEvent> &records,
                                          const aws::Invocation &invocation) override
    {
        return UploadPreparer(services, log).run(records, invocation);
    }
    int selfTest() override { return runSelfTest(); }
};

} // namespace
} // namespace mt::lambda

// Q_DECL_EXPORT: the compiler's own spelling of "visible from the module" (the target hides
// everything else).
extern "C" Q_DECL_EXPORT mt::lambda::MediaJobs *mediatriage_lambda_media_jobs()
{
    static mt::lambda::ModuleJobs jobs;
    return &jobs;
}
