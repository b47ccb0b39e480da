#pragma once

#include "aws/LambdaEvents.h"
#include "aws/LambdaRuntimeClient.h"
#include "common/Result.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace mt::lambda {

class JsonLog;
class LambdaServices;

// The half of the runtime that touches media: direct triage, upload preparation, the self-test.
// It lives in a module (libmediatriage_lambda_media.so) because FFmpeg, libheif and Exiv2 bring
// some 140 shared libraries whose loading would otherwise come before the first `next`; the runtime
// starts loading it on a background thread at init and only the first media event waits for it.
class MediaJobs {
public:
    virtual ~MediaJobs() = default;
    virtual Result<nlohmann::json> triage(LambdaServices &services, JsonLog &log, const aws::TriageRequest &request,
                                          const aws::Invocation &invocation) = 0;
    virtual Result<nlohmann::json> prepareUploads(LambdaServices &services, JsonLog &log,
                                                  const std::vector<aws::S3ObjectEvent> &records,
                                                  const aws::Invocation &invocation) = 0;
    // A fanned-out triage's shard invocation, or Lambda's record of one that failed all its
    // attempts (FanoutJob).
    virtual Result<nlohmann::json> triageShard(LambdaServices &services, JsonLog &log, const nlohmann::json &event,
                                               const aws::Invocation &invocation) = 0;
    virtual int selfTest() = 0;
};

// Loads the module once per process. The module is looked for next to the executable, then on
// the library path (the bundle's loader is started with --library-path <bundle>/lib).
class MediaModule {
public:
    static constexpr const char *kEntryPoint = "mediatriage_lambda_media_jobs";
    // Starts loading on a background thread; returns at once. Safe to call more than once.
    static void preload();
    // Waits for the load (starting it if needed); an error names what is missing.
    static Result<MediaJobs *> jobs();
    // Waits for a load in progress: a process must not exit while the loader thread is mapping
    // libraries (static destructors would race with it).
    static void settle();
};

} // namespace mt::lambda
