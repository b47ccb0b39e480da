#include "quality/VideoSignals.h"

#include "quality/OfflineJudge.h"
#include "quality/SignalExtractor.h"
#include "thumbs/VideoThumbnailer.h"

#include <algorithm>
#include <cmath>

namespace mt::quality {

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

// Mean absolute difference of two 16×16 brightness fingerprints, 0..1.
double fingerprintChange(const ImageSignals &a, const ImageSignals &b)
{
    double sum = 0;
    for (size_t i = 0; i < a.fingerprint.size(); ++i)
        sum += std::abs(int(a.fingerprint[i]) - int(b.fingerprint[i]));
    return sum / double(a.fingerprint.size()) / 255.0;
}

} // namespace

VideoSignals VideoSignalExtractor::fromFrames(double durationSeconds, const std::vector<double> &seconds,
                                              const std::vector<ImageSignals> &frames)
{
    VideoSignals v;
    v.durationSeconds = durationSeconds;
    v.frameSeconds = seconds;
    v.frames = frames;
    if (frames.empty())
        return v;
    const OfflineJudge judge;
    int black = 0, uniform = 0, blurry = 0, withContent = 0;
    std::vector<double> sharpness, luma;
    for (const ImageSignals &f : frames) {
        luma.push_back(f.meanLuma);
        if (judge.isNearlyBlack(f)) {
            ++black;
            continue;
        }
        if (judge.isUniform(f)) {
            ++uniform;
            continue;
        }
        ++withContent;
        sharpness.push_back(f.regionalSharpness);
        blurry += judge.isBlurry(f);
    }
    const double n = double(frames.size());
    v.blackFrameRatio = black / n;
    v.uniformFrameRatio = uniform / n;
    v.blurryFrameRatio = withContent ? double(blurry) / withContent : 0.0;
    v.medianSharpness = median(sharpness);
    v.medianLuma = median(luma);
    double change = 0;
    for (size_t i = 1; i < frames.size(); ++i)
        change += fingerprintChange(frames[i - 1], frames[i]);
    v.motion = frames.size() > 1 ? change / double(frames.size() - 1) : 0.0;
    return v;
}

Result<VideoSignals> VideoSignalExtractor::measureFile(const QString &path, const CancellationToken &token)
{
    auto samples = VideoThumbnailer().sampleFrames(path, kFrames, SignalExtractor::kAnalysisEdge, token);
    if (!samples)
        return samples.error();
    std::vector<double> seconds;
    std::vector<ImageSignals> frames;
    for (const VideoFrameSample &f : samples->frames) {
        seconds.push_back(f.seconds);
        frames.push_back(SignalExtractor::measure(f.image));
    }
    return fromFrames(samples->durationSeconds, seconds, frames);
}

} // namespace mt::quality
