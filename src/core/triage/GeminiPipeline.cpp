#include "triage/GeminiPipeline.h"

#include "gemini/GeminiClient.h"
#include "triage/BatchAssembler.h"
#include "triage/BatchJudge.h"
#include "triage/BlockingQueue.h"
#include "triage/TriageEngine.h"
#include "triage/TriagePrompt.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <mutex>

namespace mt {

using gemini::GeminiClient;

namespace {

struct Prepared {
    int index = -1;
    std::optional<PromptItem> prompt;
    std::optional<Error> error;
    qint64 wireBytes = 0; // counted against the batch payload (base64 for inline)
    qint64 sentBytes = 0;
    QString remoteName;   // Files API name, deleted after the batch
};

struct Job {
    std::vector<Prepared> items;
    double estimatedUsd = 0;
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

ItemOutcome failed(int index, Error error) { return ItemOutcome{index, false, true, {}, std::move(error), {}, 0}; }

} // namespace

struct GeminiPipeline::State {
    const gemini::GeminiConfig &config;
    const MediaPreparer &preparer;
    const TriageOptions &options;
    const std::vector<TriageEntry> &entries;
    ModelPrice price;
    EstimateFor estimateFor;
    CancellationToken token;

    std::shared_ptr<gemini::UsageMeter> usage = std::make_shared<gemini::UsageMeter>();
    TriagePrompt prompt;
    QTemporaryDir workDir;
    RemoteFiles remote;
    mutable std::mutex mutex;
    std::optional<Error> stop; // fatal, budget or cancel: nothing more is sent
    double committedUsd = 0;   // estimates of batches in flight
    int senders = 1;
    BlockingQueue<std::optional<Job>> jobs;
    BlockingQueue<std::vector<ItemOutcome>> results;

    State(const gemini::GeminiConfig &c, const MediaPreparer &p, const TriageOptions &o, const std::vector<TriageEntry> &e,
          ModelPrice pr, EstimateFor est, CancellationToken t)
        : config(c), preparer(p), options(o), entries(e), price(pr), estimateFor(std::move(est)), token(std::move(t)),
          prompt(TriagePrompt::Options{o.includeLocation, o.thinkingAllowance, 120}),
          senders(o.pipelined ? std::max(1, o.requestsInFlight) : 1), jobs(o.pipelined ? size_t(senders) : 0)
    {
    }

    std::optional<Error> stopReason()
    {
        std::lock_guard l(mutex);
        if (!stop && token.isCancelled())
            stop = makeError(Error::Code::Cancelled, tr("cancelled"));
        return stop;
    }
    void stopWith(const Error &error)
    {
        std::lock_guard l(mutex);
        if (!stop)
            stop = error;
    }

    Prepared prepareOne(int index);
    bool attachUpload(Prepared &p, PromptItem &item, const PreparedMedia &media);
    void assemble(const std::vector<int> &toSend);
    void assemblePipelined(const std::vector<int> &toSend, const std::function<void(Prepared)> &add);
    std::optional<Error> reserveBudget(const Job &job);
    std::vector<ItemOutcome> judge(Job &job, GeminiClient &client);
    void sendLoop();
};

GeminiPipeline::GeminiPipeline(const gemini::GeminiConfig &config, const MediaPreparer &preparer, const TriageOptions &options,
                               const std::vector<TriageEntry> &entries, const ModelPrice &price, EstimateFor estimateFor,
                               CancellationToken token)
    : d(std::make_unique<State>(config, preparer, options, entries, price, std::move(estimateFor), std::move(token)))
{
}

GeminiPipeline::~GeminiPipeline() = default;

gemini::UsageTotals GeminiPipeline::usage() const { return d->usage->totals(); }

std::optional<Error> GeminiPipeline::stopReason() const
{
    std::lock_guard l(d->mutex);
    return d->stop;
}

Prepared GeminiPipeline::State::prepareOne(int index)
{
    Prepared p;
    p.index = index;
    const TriageEntry &e = entries[size_t(index)];
    if (auto why = stopReason()) {
        p.error = makeError(why->code, tr("not sent: %1").arg(why->message));
        return p;
    }
    auto media = preparer.prepare(e.item, workDir.path(), token);
    if (!media) {
        p.error = e.item.kind == MediaKind::Video
            ? makeError(media.error().code, tr("video preparation failed: %1").arg(media.error().message))
            : media.error();
        return p;
    }
    p.sentBytes = media->bytes;
    PromptItem item{&e.item, &e.metadata, {}, {}};
    if (options.hint)
        item.hint = options.hint(e.item);
    if (!media->uploadPath.isEmpty()) {
        if (!attachUpload(p, item, *media))
            return p;
    } else {
        p.wireBytes = (media->inlineData.size() + 2) / 3 * 4;
        item.media = gemini::InlineMediaPart{media->mimeType, std::move(media->inlineData)};
    }
    p.prompt = std::move(item);
    return p;
}

bool GeminiPipeline::State::attachUpload(Prepared &p, PromptItem &item, const PreparedMedia &media)
{
    GeminiClient client(config, usage);
    auto file = client.uploadFile(media.uploadPath, media.mimeType, item.item->fileName, token);
    QFile::remove(media.uploadPath);
    if (!file) {
        if (GeminiClient::isFatal(file.error()))
            stopWith(file.error());
        p.error = makeError(file.error().code, tr("upload failed: %1").arg(file.error().message));
        return false;
    }
    remote.add(file->name);
    p.remoteName = file->name;
    item.media = gemini::FileMediaPart{file->mimeType.isEmpty() ? media.mimeType : file->mimeType, file->uri};
    return true;
}

void GeminiPipeline::State::assemble(const std::vector<int> &toSend)
{
    BatchAssembler batches(options.maxBatchItems, options.maxBatchBytes);
    std::vector<Prepared> pending; // prepared items of the open batch, by index
    auto push = [&](const std::vector<int> &indices) {
        Job job;
        for (int index : indices) {
            auto it = std::find_if(pending.begin(), pending.end(), [index](const Prepared &p) { return p.index == index; });
            job.items.push_back(std::move(*it));
            pending.erase(it);
        }
        job.estimatedUsd = estimateFor(indices).usd;
        jobs.push(std::move(job));
    };
    auto add = [&](Prepared p) {
        if (!p.prompt) {
            results.push({failed(p.index, std::move(*p.error))});
            return;
        }
        const int index = p.index;
        const qint64 bytes = p.wireBytes;
        pending.push_back(std::move(p));
        if (auto closed = batches.add(index, bytes))
            push(*closed);
    };
    if (options.pipelined) {
        assemblePipelined(toSend, add);
    } else {
        // The baseline: one item after another, in folder order.
        for (int index : toSend)
            add(prepareOne(index));
    }
    if (auto last = batches.finish())
        push(*last);
}

void GeminiPipeline::State::assemblePipelined(const std::vector<int> &toSend, const std::function<void(Prepared)> &add)
{
    // Longest preparation first (videos: compression and upload), and batches filled in the order
    // items become ready: numbering is per request, so a batch needs no particular items, and quick
    // photos never wait behind a slow video. The window bounds how much prepared media waits in memory.
    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, options.preparationThreads));
    std::vector<int> order = toSend;
    std::stable_partition(order.begin(), order.end(),
                          [&](int i) { return entries[size_t(i)].item.kind == MediaKind::Video; });
    const size_t window = size_t(std::max(options.maxBatchItems * 2, pool.maxThreadCount() * 2));
    BlockingQueue<Prepared> ready;
    size_t submitted = 0;
    size_t received = 0;
    auto submit = [&] {
        while (submitted < order.size() && submitted - received < window) {
            const int index = order[submitted++];
            pool.start([this, &ready, index] { ready.push(prepareOne(index)); });
        }
    };
    submit();
    while (received < order.size()) {
        Prepared p = ready.pop();
        ++received;
        submit();
        add(std::move(p));
    }
}

std::optional<Error> GeminiPipeline::State::reserveBudget(const Job &job)
{
    if (auto why = stopReason())
        return why;
    if (!options.budgetUsd)
        return std::nullopt;
    std::lock_guard l(mutex);
    const auto totals = usage->totals();
    const double spent = costOf(totals.promptTokens, totals.outputTokens, price);
    if (spent + committedUsd + job.estimatedUsd > *options.budgetUsd) {
        stop = makeError(Error::Code::Cancelled, tr("the budget cap of $%1 was reached").arg(*options.budgetUsd, 0, 'f', 2));
        return stop;
    }
    committedUsd += job.estimatedUsd;
    return std::nullopt;
}

std::vector<ItemOutcome> GeminiPipeline::State::judge(Job &job, GeminiClient &client)
{
    std::vector<ItemOutcome> outcomes;
    if (const auto why = reserveBudget(job)) {
        for (const Prepared &p : job.items)
            outcomes.push_back(failed(p.index, makeError(why->code, tr("not sent: %1").arg(why->message))));
        return outcomes;
    }
    std::vector<const PromptItem *> prompts;
    for (const Prepared &p : job.items)
        prompts.push_back(&*p.prompt);
    BatchJudge judge(client, prompt, options.maxReasks, token);
    for (const BatchJudge::Outcome &o : judge.judge(prompts)) {
        const Prepared &p = job.items[o.entry];
        std::optional<Error> error;
        if (!o.ok)
            error = makeError(o.errorCode, o.error);
        outcomes.push_back(ItemOutcome{p.index, o.ok, o.keep, o.reason, std::move(error), o.modelVersion, p.sentBytes});
    }
    std::lock_guard l(mutex);
    if (options.budgetUsd)
        committedUsd -= job.estimatedUsd;
    if (judge.fatalError() && !stop)
        stop = judge.fatalError();
    return outcomes;
}

void GeminiPipeline::State::sendLoop()
{
    GeminiClient client(config, usage);
    for (;;) {
        std::optional<Job> job = jobs.pop();
        if (!job)
            return;
        std::vector<ItemOutcome> outcomes = judge(*job, client);
        for (const Prepared &p : job->items) {
            if (!p.remoteName.isEmpty() && client.deleteFile(p.remoteName, CancellationToken()))
                remote.remove(p.remoteName);
        }
        results.push(std::move(outcomes));
    }
}

void GeminiPipeline::run(const std::vector<int> &toSend, const std::function<void(const std::vector<ItemOutcome> &)> &onBatch)
{
    if (toSend.empty())
        return;
    State &s = *d;
    auto endSenders = [&s] {
        for (int i = 0; i < s.senders; ++i)
            s.jobs.push(std::nullopt);
    };
    std::unique_ptr<QThread> assembler(QThread::create([&s, &toSend, endSenders] {
        s.assemble(toSend);
        if (s.options.pipelined)
            endSenders();
    }));
    std::vector<std::unique_ptr<QThread>> senders;
    auto startSenders = [&] {
        for (int i = 0; i < s.senders; ++i) {
            senders.emplace_back(QThread::create([&s] { s.sendLoop(); }));
            senders.back()->start();
        }
    };
    assembler->start();
    if (!s.options.pipelined) {
        assembler->wait(); // the baseline starts sending only once everything is prepared
        endSenders();
    }
    startSenders();
    for (size_t received = 0; received < toSend.size();) {
        const std::vector<ItemOutcome> batch = s.results.pop();
        received += batch.size();
        onBatch(batch);
    }
    assembler->wait();
    for (auto &t : senders)
        t->wait();
    // Nothing stays on Google's side, whatever happened.
    if (const QStringList left = s.remote.take(); !left.isEmpty()) {
        GeminiClient client(s.config, s.usage);
        for (const QString &name : left)
            (void)client.deleteFile(name, CancellationToken());
    }
    if (!s.stopReason() && s.token.isCancelled())
        s.stopWith(makeError(Error::Code::Cancelled, tr("cancelled")));
}

} // namespace mt
