#include "triage/TriageEngine.h"

#include "media/LivePhotoPairing.h"
#include "metadata/MetadataReader.h"
#include "metadata/MotionPhotoReader.h"
#include "triage/ContentHash.h"
#include "triage/GeminiPipeline.h"
#include "triage/ModelPrices.h"
#include "triage/Prefilter.h"
#include "triage/TriagePrompt.h"
#include "triage/VerdictStore.h"

#include <QtConcurrent/QtConcurrentMap>

namespace mt {

namespace {

CostEstimate estimateOf(const std::vector<TriageEntry> &entries, const std::vector<int> &indices,
                        const TriageOptions &options, const QString &model, const ModelPrice &price)
{
    std::vector<EstimateInput> inputs;
    for (int i : indices)
        inputs.push_back({entries[size_t(i)].item.kind, entries[size_t(i)].metadata.durationSeconds.value_or(0)});
    CostEstimate estimate = estimateCost(inputs, options.maxBatchItems, TokenRates::forModel(model), price);
    estimate.model = model;
    return estimate;
}

} // namespace

TriageEngine::TriageEngine(gemini::GeminiConfig config, VerdictStore *store, MediaPreparer preparer)
    : m_config(std::move(config)), m_store(store), m_preparer(std::move(preparer))
{
}

TriageRun TriageEngine::run(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token)
{
    TriageRun run;
    run.engine = QStringLiteral("gemini");
    run.model = m_config.model;
    const int n = int(items.size());
    ProgressReporter progress(options, n);
    progress.stage(TriageProgress::Stage::Reading, 0);

    std::vector<TriageEntry> entries = readEntries(items, token);
    if (token.isCancelled()) {
        run.stopped = makeError(Error::Code::Cancelled, tr("cancelled"));
        for (const MediaItem &item : items)
            run.items.push_back(errorResult(item.path, VerdictSource::Prefilter, *run.stopped));
        return run;
    }
    run.items.resize(items.size());
    const std::vector<int> candidates = applyPrefilters(entries, options, run);
    std::vector<int> toSend = lookupStored(entries, candidates, run);
    progress.stage(TriageProgress::Stage::Judging, n - int(toSend.size()));
    if (confirmSending(toSend, entries, options, run))
        sendToGemini(toSend, entries, options, progress, run, token);
    shareFollowerVerdicts(entries, run);
    progress.stage(TriageProgress::Stage::Done, n);
    return run;
}

// Metadata and a content hash for every readable file (I/O bound, in parallel).
std::vector<TriageEntry> TriageEngine::readEntries(const std::vector<MediaItem> &items, const CancellationToken &token) const
{
    std::vector<TriageEntry> entries(items.size());
    for (size_t i = 0; i < items.size(); ++i)
        entries[i].item = items[i];
    QtConcurrent::blockingMap(entries, [&token](TriageEntry &e) {
        if (token.isCancelled())
            return;
        if (!e.item.ok()) {
            e.error = makeError(Error::Code::Corrupt, *e.item.error);
            return;
        }
        auto md = readMetadata(e.item);
        if (!md) {
            e.error = md.error();
            return;
        }
        e.metadata = *md;
        auto hash = contentHash(e.item.path);
        if (!hash) {
            e.error = hash.error();
            return;
        }
        e.hash = *hash;
    });
    return entries;
}

// Live Photo clips follow their still, unreadable files are errors, short clips are discarded,
// exact copies follow the first of them. Returns what is left to judge.
std::vector<int> TriageEngine::applyPrefilters(std::vector<TriageEntry> &entries, const TriageOptions &options,
                                               TriageRun &run) const
{
    std::vector<PairingCandidate> pairing;
    for (const TriageEntry &e : entries)
        pairing.push_back(livePhotoCandidate(e.item, e.metadata, !e.error));
    const LivePhotoPairs pairs = LivePhotoPairing::pair(pairing, options.liveClipMaxSeconds);
    const std::vector<int> &stillOf = pairs.stillOf;
    for (size_t i = 0; i < entries.size(); ++i) {
        if (!pairs.notes[i].isEmpty())
            run.notices << entries[i].item.fileName + QStringLiteral(": ") + pairs.notes[i];
        if (stillOf[i] >= 0)
            MotionPhotoReader::attachLiveClip(entries[size_t(stillOf[i])].metadata, entries[i].item,
                                              entries[i].metadata.durationSeconds);
    }

    std::vector<QString> hashes;
    std::vector<bool> eligible;
    for (size_t i = 0; i < entries.size(); ++i) {
        TriageEntry &e = entries[i];
        TriageItemResult &r = run.items[i];
        r.path = e.item.path;
        r.contentHash = e.hash;
        r.source = VerdictSource::Prefilter;
        r.motion = e.metadata.motion;
        if (stillOf[i] >= 0) {
            e.leader = stillOf[i];
            e.liveClip = true;
        }
        bool open = !e.error && e.leader < 0;
        if (e.error) {
            r.verdict = VerdictKind::Error;
            r.error = e.error;
        } else if (e.leader < 0) {
            if (auto reason = Prefilter::accidentalClip(e.item.kind, e.metadata.durationSeconds, options.minClipSeconds)) {
                r.verdict = VerdictKind::Discard;
                r.reason = *reason;
                open = false;
            }
        }
        hashes.push_back(e.hash);
        eligible.push_back(open);
    }
    const std::vector<int> copyOf = Prefilter::exactDuplicateLeaders(hashes, eligible);
    std::vector<int> candidates;
    for (size_t i = 0; i < entries.size(); ++i) {
        if (copyOf[i] >= 0)
            entries[i].leader = copyOf[i];
        else if (eligible[i])
            candidates.push_back(int(i));
    }
    return candidates;
}

// Verdicts paid for earlier. A store that cannot be read is an error for the item, never a miss:
// a miss would silently pay Gemini again.
std::vector<int> TriageEngine::lookupStored(const std::vector<TriageEntry> &entries, const std::vector<int> &candidates,
                                            TriageRun &run) const
{
    if (!m_store)
        return candidates;
    const QString promptVersion = TriagePrompt::version();
    std::vector<int> toSend;
    for (int i : candidates) {
        TriageItemResult &r = run.items[size_t(i)];
        auto stored = m_store->find(entries[size_t(i)].hash, m_config.model, promptVersion);
        if (!stored) {
            r.verdict = VerdictKind::Error;
            r.error = makeError(stored.error().code, tr("not sent: the verdict store cannot be read: %1").arg(stored.error().message));
            continue;
        }
        if (!stored->has_value()) {
            toSend.push_back(i);
            continue;
        }
        const StoredVerdict &v = **stored;
        r.verdict = v.keep ? VerdictKind::Keep : VerdictKind::Discard;
        r.reason = v.reason;
        r.source = VerdictSource::Cache;
        r.modelVersion = v.modelVersion;
    }
    return toSend;
}

// The estimate, the free key/model check and the person's go-ahead, before any money is spent.
bool TriageEngine::confirmSending(std::vector<int> &toSend, const std::vector<TriageEntry> &entries,
                                  const TriageOptions &options, TriageRun &run) const
{
    const ModelPrice price = options.price.value_or(ModelPrices::forModel(m_config.model));
    run.estimate = estimateOf(entries, toSend, options, m_config.model, price);
    if (toSend.empty())
        return false;
    std::optional<Error> stop;
    if (beforeSending) {
        if (Status ok = beforeSending(); !ok) {
            stop = ok.error();
            run.setupFailed = true;
        }
    }
    if (!stop && options.confirmEstimate && !options.confirmEstimate(run.estimate))
        stop = makeError(Error::Code::Cancelled, tr("stopped before sending anything"));
    if (!stop)
        return true;
    run.stopped = stop;
    for (int i : toSend)
        run.items[size_t(i)] = errorResult(entries[size_t(i)].item.path, VerdictSource::Gemini,
                                           makeError(stop->code, tr("not sent: %1").arg(stop->message)), entries[size_t(i)].hash);
    toSend.clear();
    return false;
}

void TriageEngine::sendToGemini(const std::vector<int> &toSend, const std::vector<TriageEntry> &entries,
                                const TriageOptions &options, ProgressReporter &progress, TriageRun &run,
                                const CancellationToken &token)
{
    const ModelPrice price = options.price.value_or(ModelPrices::forModel(m_config.model));
    GeminiPipeline pipeline(m_config, m_preparer, options, entries, price,
                            [&](const std::vector<int> &indices) { return estimateOf(entries, indices, options, m_config.model, price); },
                            token);
    pipeline.setQuotaWaitObserver([&progress](int seconds) { progress.waitingForQuota(seconds); });
    pipeline.run(toSend, [&](const std::vector<ItemOutcome> &batch) {
        storeBatch(batch, entries, run);
        progress.advance(int(batch.size()), pipeline.usage());
    });
    run.usage = pipeline.usage();
    run.stopped = pipeline.stopReason();
}

// Every batch is written as it returns, so a crash or a cancel never pays for it twice. A verdict
// that cannot be written becomes an error that says so (and what the verdict was): the run's
// summary counts them, since they would be paid for again.
void TriageEngine::storeBatch(const std::vector<ItemOutcome> &batch, const std::vector<TriageEntry> &entries, TriageRun &run)
{
    const QString promptVersion = TriagePrompt::version();
    std::vector<StoredVerdict> toStore;
    std::vector<int> stored;
    for (const ItemOutcome &o : batch) {
        const TriageEntry &e = entries[size_t(o.index)];
        TriageItemResult &r = run.items[size_t(o.index)];
        r.source = VerdictSource::Gemini;
        if (!o.ok) {
            r.verdict = VerdictKind::Error;
            r.error = o.error;
            continue;
        }
        r.verdict = o.keep ? VerdictKind::Keep : VerdictKind::Discard;
        r.reason = o.reason;
        r.modelVersion = o.modelVersion;
        toStore.push_back(StoredVerdict{e.hash, m_config.model, promptVersion, o.keep, o.reason, o.modelVersion,
                                        e.item.fileName, QDateTime::currentDateTimeUtc()});
        stored.push_back(o.index);
        ++run.sentItems;
        run.sentOriginalBytes += e.item.sizeBytes;
        run.sentBytes += o.sentBytes;
    }
    if (!m_store || toStore.empty())
        return;
    if (Status written = m_store->put(toStore); !written) {
        for (int index : stored) {
            TriageItemResult &r = run.items[size_t(index)];
            r.error = makeError(written.error().code, tr("judged (%1: %2) but the verdict could not be saved, so it "
                                                         "would be paid for again: %3")
                                                          .arg(verdictName(r.verdict), r.reason, written.error().message));
            r.verdict = VerdictKind::Error;
        }
        run.unsavedVerdicts += int(stored.size());
    }
}

// Followers (Live Photo clips, exact copies) share their leader's outcome.
void TriageEngine::shareFollowerVerdicts(const std::vector<TriageEntry> &entries, TriageRun &run)
{
    std::vector<int> leaderOf;
    for (const TriageEntry &e : entries)
        leaderOf.push_back(e.leader);
    for (size_t i = 0; i < entries.size(); ++i) {
        const TriageEntry &e = entries[i];
        if (e.leader < 0)
            continue;
        const int root = Prefilter::rootOf(leaderOf, int(i));
        const TriageItemResult &lead = run.items[size_t(root)];
        TriageItemResult &r = run.items[i];
        r.verdict = lead.verdict;
        r.source = lead.source;
        r.error = lead.error;
        r.modelVersion = lead.modelVersion;
        r.reason = lead.verdict == VerdictKind::Error ? QString() : Prefilter::followerReason(e.liveClip, entries[size_t(root)].item.fileName, lead.reason);
        (e.liveClip ? r.livePhotoOf : r.identicalTo) = entries[size_t(e.leader)].item.path;
    }
}

} // namespace mt
