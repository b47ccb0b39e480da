// libmediatriage_lambda_media.so: the media handlers behind lambda/MediaJobs.h.
#include "lambda/MediaJobs.h"
#include "lambda/SelfTest.h"
#include "lambda/TriageJob.h"
#include "lambda/UploadPreparer.h"

namespace mt::lambda {
namespace {

class ModuleJobs final : public MediaJobs {
public:
    Result<nlohmann::json> triage(LambdaServices &services, JsonLog &log, const aws::TriageRequest &request,
                                  const aws::Invocation &invocation) override
    {
        return TriageJob(services, log).run(request, invocation);
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

extern "C" __attribute__((visibility("default"))) mt::lambda::MediaJobs *mediatriage_lambda_media_jobs()
{
    static mt::lambda::ModuleJobs jobs;
    return &jobs;
}
