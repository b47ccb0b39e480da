#include "triage/TriageEngine.h"

#include "gemini/GeminiClient.h"
#include "metadata/MetadataReader.h"
#include "triage/BatchJudge.h"
#include "triage/BlockingQueue.h"
#include "triage/ContentHash.h"
#include "triage/TriagePrompt.h"
#include "triage/VerdictStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>

namespace mt {

using gemini::GeminiClient;

namespace {

// What the run knows about each input file.
struct Entry {
    MediaItem item;
    MediaMetadata metadata;
    QString hash;
    QString error;  // unreadable: never sent
    int leader = -1; // shares the verdict of this entry (Live Photo clip, exact duplicate)
    bool liveClip = false;
};

struct Prepared {
    int index = -1;
    std::optional<PromptItem> prompt;
    QString error;
    qint64 wireBytes = 0;  // counted against the batch payload (base64 for inline)
    qint64 sentBytes = 0;
    QString remoteName;    // Files API name, deleted after the batch
};

struct Job {
    std::vector<Prepared> items;
    double estimatedUsd = 0;
};

struct ItemOutcome {
    int index = -1;
    bool ok = false;
    bool keep = true;
    QString reason;
    QString error;
    QString modelVersion;
    qint64 sentBytes = 0;
};

// Files uploaded during the run; whatever a batch did not delete is deleted at the end.
class RemoteFiles {
public:
    void add(const QString &name) { std::lock_guard l(m_mutex); m_names.insert(name); }
    void remove(const QString &name) { std::lock_guard l(m_mutex); m_names.remove(name); }
    QStringList take()
    {
        std::lock_guard l(m_mutex);
        QStringList names(m_names.cbegin(), m_names.cend());
        m_names.clear();
        return names;
    }

private:
    std::mutex m_mutex;
    QSet<QString> m_names;
};

// State the pipeline's threads share.
struct Shared {
    std::mutex mutex;
    std::optional<Error> stop; // fatal, budget or cancel: nothing more is sent
    double committedUsd = 0;   // estimates of batches in flight
};

QString followReason(const Entry &follower, const Entry &leader, const QString &reason)
{
    if (follower.liveClip)
        return QCoreApplication::translate("TriageEngine", "Live Photo motion clip of %1: %2").arg(leader.item.fileName, reason);
    return QCoreApplication::translate("TriageEngine", "identical to %1: %2").arg(leader.item.fileName, reason);
}

} // namespace

TriageEngine::TriageEngine(gemini::GeminiConfig config, VerdictStore *store, MediaPreparer preparer)
    : m_config(std::move(config)), m_store(store), m_preparer(std::move(preparer))
{
}

TriageRun TriageEngine::run(const std::vector<MediaItem> &items, const TriageOptions &options, const CancellationToken &token)
{
    TriageRun run;
    run.model = m_config.model;
    const int n = int(items.size());
    run.items.resize(items.size());
    TriageProgress progress{TriageProgress::Stage::Reading, 0, n, 0, 0};
    auto report = [&] {
        if (options.progress)
            options.progress(progress);
    };
    report();

    // 1. Read metadata and hash every readable file (I/O bound, in parallel).
    std::vector<Entry> entries(items.size());
    for (int i = 0; i < n; ++i)
        entries[size_t(i)].item = items[size_t(i)];
    QtConcurrent::blockingMap(entries, [&token](Entry &e) {
        if (token.isCancelled())
            return;
        if (!e.item.ok()) {
            e.error = *e.item.error;
            return;
        }
        auto md = readMetadata(e.item);
        if (!md) {
            e.error = md.error().message;
            return;
        }
        e.metadata = *md;
        auto hash = contentHash(e.item.path);
        if (!hash) {
            e.error = hash.error().message;
            return;
        }
        e.hash = *hash;
    });
    if (token.isCancelled()) {
        run.stopped = makeError(Error::Code::Cancelled, tr("cancelled"));
        for (int i = 0; i < n; ++i)
            run.items[size_t(i)] = TriageItemResult{items[size_t(i)].path, VerdictKind::Error, {}, VerdictSource::Prefilter, tr("cancelled"), {}, {}, {}};
        return run;
    }

    // 2. Live Photos: a short clip with the still's base name follows the still.
    QHash<QString, int> stills;
    for (int i = 0; i < n; ++i) {
        const Entry &e = entries[size_t(i)];
        if (e.error.isEmpty() && e.item.kind == MediaKind::Photo) {
            const QFileInfo fi(e.item.path);
            stills.insert(fi.absolutePath() + u'/' + fi.completeBaseName().toLower(), i);
        }
    }
    for (int i = 0; i < n; ++i) {
        Entry &e = entries[size_t(i)];
        if (!e.error.isEmpty() || e.item.kind != MediaKind::Video)
            continue;
        const QFileInfo fi(e.item.path);
        const int still = stills.value(fi.absolutePath() + u'/' + fi.completeBaseName().toLower(), -1);
        if (still >= 0 && e.metadata.durationSeconds.value_or(0) <= options.liveClipMaxSeconds) {
            e.leader = still;
            e.liveClip = true;
        }
    }

    // 3. Pre-filters and exact duplicates.
    QHash<QString, int> byHash;
    std::vector<int> candidates;
    for (int i = 0; i < n; ++i) {
        Entry &e = entries[size_t(i)];
        TriageItemResult &r = run.items[size_t(i)];
        r.path = e.item.path;
        r.contentHash = e.hash;
        r.source = VerdictSource::Prefilter;
        if (!e.error.isEmpty()) {
            r.verdict = VerdictKind::Error;
            r.error = e.error;
            continue;
        }
        if (e.leader >= 0)
            continue;
        if (e.item.kind == MediaKind::Video && e.metadata.durationSeconds
            && *e.metadata.durationSeconds < options.minClipSeconds) {
            r.verdict = VerdictKind::Discard;
            r.reason = tr("accidental clip: %1 s").arg(*e.metadata.durationSeconds, 0, 'f', 1);
            continue;
        }
        if (const int first = byHash.value(e.hash, -1); first >= 0) {
            e.leader = first;
            continue;
        }
        byHash.insert(e.hash, i);
        candidates.push_back(i);
    }

    // 4. Verdicts paid for earlier.
    const QString promptVersion = TriagePrompt::version();
    std::vector<int> toSend;
    for (int i : candidates) {
        TriageItemResult &r = run.items[size_t(i)];
        const Entry &e = entries[size_t(i)];
        if (m_store) {
            const auto found = m_store->find(e.hash, m_config.model, promptVersion);
            if (!found)
                qWarning("%s", qPrintable(found.error().message));
            else if (const auto &stored = *found) {
                r.verdict = stored->keep ? VerdictKind::Keep : VerdictKind::Discard;
                r.reason = stored->reason;
                r.source = VerdictSource::Cache;
                r.modelVersion = stored->modelVersion;
                continue;
            }
        }
        toSend.push_back(i);
    }

    // 5. Estimate before any request.
    const ModelPrice price = options.price.value_or(ModelPrice::forModel(m_config.model));
    const TokenRates rates = TokenRates::forModel(m_config.model);
    auto estimateFor = [&](const std::vector<int> &indices) {
        std::vector<EstimateInput> inputs;
        for (int i : indices)
            inputs.push_back({entries[size_t(i)].item.kind, entries[size_t(i)].metadata.durationSeconds.value_or(0)});
        return estimateCost(inputs, options.maxBatchItems, rates, price);
    };
    run.estimate = estimateFor(toSend);
    progress.stage = TriageProgress::Stage::Judging;
    progress.done = n - int(toSend.size());
    report();
    if (!toSend.empty() && options.confirmEstimate && !options.confirmEstimate(run.estimate)) {
        run.stopped = makeError(Error::Code::Cancelled, tr("stopped before sending anything"));
        for (int i : toSend)
            run.items[size_t(i)] = TriageItemResult{entries[size_t(i)].item.path, VerdictKind::Error, {},
                                                    VerdictSource::Gemini, tr("not sent: stopped before sending"), entries[size_t(i)].hash, {}, {}};
        toSend.clear();
    }
    const int sendCount = int(toSend.size());

    // 6. The pipeline: prepare (and upload) on a pool, batch in order, judge a few at a time.
    auto usage = std::make_shared<gemini::UsageMeter>();
    const TriagePrompt prompt(TriagePrompt::Options{options.includeLocation, options.thinkingAllowance, 120});
    Shared shared;
    RemoteFiles remote;
    QTemporaryDir workDir;
    const int senders = options.pipelined ? std::max(1, options.requestsInFlight) : 1;
    BlockingQueue<std::optional<Job>> jobs(options.pipelined ? size_t(senders) : 0);
    BlockingQueue<std::vector<ItemOutcome>> results;
    QThreadPool prepPool;
    prepPool.setMaxThreadCount(options.pipelined ? std::max(1, options.preparationThreads) : 1);

    auto stopReason = [&]() -> std::optional<Error> {
        std::lock_guard l(shared.mutex);
        if (!shared.stop && token.isCancelled())
            shared.stop = makeError(Error::Code::Cancelled, tr("cancelled"));
        return shared.stop;
    };

    auto prepareOne = [&](int index) {
        Prepared p;
        p.index = index;
        const Entry &e = entries[size_t(index)];
        if (auto stop = stopReason()) {
            p.error = tr("not sent: %1").arg(stop->message);
            return p;
        }
        auto media = m_preparer.prepare(e.item, workDir.path(), token);
        if (!media) {
            p.error = e.item.kind == MediaKind::Video ? tr("video preparation failed: %1").arg(media.error().message)
                                                      : media.error().message;
            return p;
        }
        p.sentBytes = media->bytes;
        PromptItem item{&e.item, &e.metadata, {}, {}};
        if (options.hint)
            item.hint = options.hint(e.item);
        if (!media->uploadPath.isEmpty()) {
            GeminiClient client(m_config, usage);
            auto file = client.uploadFile(media->uploadPath, media->mimeType, e.item.fileName, token);
            QFile::remove(media->uploadPath);
            if (!file) {
                if (GeminiClient::isFatal(file.error())) {
                    std::lock_guard l(shared.mutex);
                    shared.stop = file.error();
                }
                p.error = tr("upload failed: %1").arg(file.error().message);
                return p;
            }
            remote.add(file->name);
            p.remoteName = file->name;
            item.media = gemini::FileMediaPart{file->mimeType.isEmpty() ? media->mimeType : file->mimeType, file->uri};
        } else {
            p.wireBytes = (media->inlineData.size() + 2) / 3 * 4;
            item.media = gemini::InlineMediaPart{media->mimeType, std::move(media->inlineData)};
        }
        p.prompt = std::move(item);
        return p;
    };

    auto assemble = [&] {
        Job job;
        qint64 jobBytes = 0;
        std::vector<int> jobIndices;
        auto flush = [&] {
            if (job.items.empty())
                return;
            job.estimatedUsd = estimateFor(jobIndices).usd;
            jobs.push(std::move(job));
            job = Job{};
            jobBytes = 0;
            jobIndices.clear();
        };
        auto add = [&](Prepared p) {
            if (!p.prompt) {
                results.push({ItemOutcome{p.index, false, true, {}, p.error, {}}});
                return;
            }
            if (!job.items.empty()
                && (int(job.items.size()) >= options.maxBatchItems || jobBytes + p.wireBytes > options.maxBatchBytes))
                flush();
            jobBytes += p.wireBytes;
            jobIndices.push_back(p.index);
            job.items.push_back(std::move(p));
        };

        if (!options.pipelined) {
            // The baseline: one item after another, in folder order.
            for (int index : toSend)
                add(prepareOne(index));
            flush();
            return;
        }
        // Longest preparation first (videos: compression and upload), and batches filled in the
        // order items become ready: numbering is per request, so a batch needs no particular
        // items, and quick photos never wait behind a slow video. The window bounds how much
        // prepared media waits in memory.
        std::vector<int> order = toSend;
        std::stable_partition(order.begin(), order.end(),
                              [&](int i) { return entries[size_t(i)].item.kind == MediaKind::Video; });
        const size_t window = size_t(std::max(options.maxBatchItems * 2, prepPool.maxThreadCount() * 2));
        BlockingQueue<Prepared> ready;
        size_t submitted = 0;
        size_t received = 0;
        auto submit = [&] {
            while (submitted < order.size() && submitted - received < window) {
                const int index = order[submitted++];
                prepPool.start([&prepareOne, &ready, index] { ready.push(prepareOne(index)); });
            }
        };
        submit();
        while (received < order.size()) {
            Prepared p = ready.pop();
            ++received;
            submit();
            add(std::move(p));
        }
        flush();
    };

    auto send = [&] {
        GeminiClient client(m_config, usage);
        for (;;) {
            std::optional<Job> job = jobs.pop();
            if (!job)
                return;
            std::vector<ItemOutcome> outcomes;
            std::optional<Error> stop = stopReason();
            if (!stop && options.budgetUsd) {
                std::lock_guard l(shared.mutex);
                const auto totals = usage->totals();
                const double spent = costOf(totals.promptTokens, totals.outputTokens, price);
                if (spent + shared.committedUsd + job->estimatedUsd > *options.budgetUsd) {
                    shared.stop = makeError(Error::Code::Cancelled,
                                            tr("the budget cap of $%1 was reached").arg(*options.budgetUsd, 0, 'f', 2));
                    stop = shared.stop;
                } else {
                    shared.committedUsd += job->estimatedUsd;
                }
            }
            if (stop) {
                for (const Prepared &p : job->items)
                    outcomes.push_back(ItemOutcome{p.index, false, true, {}, tr("not sent: %1").arg(stop->message), {}});
            } else {
                std::vector<const PromptItem *> prompts;
                for (const Prepared &p : job->items)
                    prompts.push_back(&*p.prompt);
                BatchJudge judge(client, prompt, options.maxReasks, token);
                for (const BatchJudge::Outcome &o : judge.judge(prompts))
                    outcomes.push_back(ItemOutcome{job->items[o.entry].index, o.ok, o.keep, o.reason, o.error,
                                                   o.modelVersion, job->items[o.entry].sentBytes});
                std::lock_guard l(shared.mutex);
                if (options.budgetUsd)
                    shared.committedUsd -= job->estimatedUsd;
                if (judge.fatalError() && !shared.stop)
                    shared.stop = judge.fatalError();
            }
            for (const Prepared &p : job->items) {
                if (p.remoteName.isEmpty())
                    continue;
                if (client.deleteFile(p.remoteName, CancellationToken()))
                    remote.remove(p.remoteName);
            }
            results.push(std::move(outcomes));
        }
    };

    std::unique_ptr<QThread> assembler(QThread::create([&] {
        assemble();
        if (!options.pipelined)
            return; // the baseline starts sending only once everything is prepared
        for (int s = 0; s < senders; ++s)
            jobs.push(std::nullopt);
    }));
    std::vector<std::unique_ptr<QThread>> senderThreads;
    auto startSenders = [&] {
        for (int s = 0; s < senders; ++s) {
            senderThreads.emplace_back(QThread::create(send));
            senderThreads.back()->start();
        }
    };
    if (!toSend.empty()) {
        assembler->start();
        if (options.pipelined) {
            startSenders();
        } else {
            assembler->wait();
            for (int s = 0; s < senders; ++s)
                jobs.push(std::nullopt);
            startSenders();
        }
    }

    // 7. Collect on this thread: store each batch as it returns, report progress.
    int received = 0;
    while (received < sendCount) {
        const std::vector<ItemOutcome> batch = results.pop();
        std::vector<StoredVerdict> toStore;
        for (const ItemOutcome &o : batch) {
            ++received;
            const Entry &e = entries[size_t(o.index)];
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
            ++run.sentItems;
            run.sentOriginalBytes += e.item.sizeBytes;
            run.sentBytes += o.sentBytes;
        }
        if (m_store && !toStore.empty()) {
            if (auto written = m_store->put(toStore); !written)
                qWarning("%s", qPrintable(written.error().message));
        }
        const auto totals = usage->totals();
        progress.done += int(batch.size());
        progress.promptTokens = totals.promptTokens;
        progress.outputTokens = totals.outputTokens;
        report();
    }
    assembler->wait();
    for (auto &t : senderThreads)
        t->wait();

    // Nothing stays on Google's side, whatever happened.
    if (const QStringList left = remote.take(); !left.isEmpty()) {
        GeminiClient client(m_config, usage);
        for (const QString &name : left)
            client.deleteFile(name, CancellationToken());
    }
    run.usage = usage->totals();
    if (shared.stop)
        run.stopped = shared.stop;
    else if (token.isCancelled() && !run.stopped)
        run.stopped = makeError(Error::Code::Cancelled, tr("cancelled"));

    // 8. Followers share their leader's outcome.
    for (int i = 0; i < n; ++i) {
        const Entry &e = entries[size_t(i)];
        if (e.leader < 0)
            continue;
        int root = e.leader;
        while (entries[size_t(root)].leader >= 0)
            root = entries[size_t(root)].leader;
        const TriageItemResult &lead = run.items[size_t(root)];
        TriageItemResult &r = run.items[size_t(i)];
        r.verdict = lead.verdict;
        r.source = lead.source;
        r.error = lead.error;
        r.modelVersion = lead.modelVersion;
        r.reason = lead.verdict == VerdictKind::Error ? QString() : followReason(e, entries[size_t(root)], lead.reason);
        r.followsPath = lead.path;
    }
    progress.stage = TriageProgress::Stage::Done;
    progress.done = n;
    report();
    return run;
}

} // namespace mt
