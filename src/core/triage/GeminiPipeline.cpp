#include "triage/GeminiPipeline.h"

#include "gemini/GeminiClient.h"
#include "gemini/ModelFamily.h"
#include "triage/AdaptiveConcurrency.h"
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
    QString uploadPath;   // the prepared video, kept until the batch is judged in case it must go up again
    QString uploadMime;
};

struct Job {
    std::vector<Prepared> items;
};

// The input side of a request's worst case is an estimate from documented per-item token
// allocations (maxima at MEDIA_RESOLUTION_LOW); the margin covers metadata text longer than the
// estimate assumes, so the budget holds even when the estimate is low.
constexpr double kInputMargin = 1.25;

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
    std::shared_ptr<gemini::UploadLedger> ledger = std::make_shared<gemini::UploadLedger>();
    TriagePrompt prompt;
    QTemporaryDir workDir;
    mutable std::mutex mutex;
    std::optional<Error> stop; // fatal, budget or cancel: nothing more is sent
    double committedUsd = 0;   // worst cases of the requests in flight
    int senders = 1;
    AdaptiveConcurrency concurrency;
    std::function<void(int seconds)> quotaWait;
    BlockingQueue<std::optional<Job>> jobs;
    BlockingQueue<std::vector<ItemOutcome>> results;

    State(const gemini::GeminiConfig &c, const MediaPreparer &p, const TriageOptions &o, const std::vector<TriageEntry> &e,
          ModelPrice pr, EstimateFor est, CancellationToken t)
        : config(c), preparer(p), options(o), entries(e), price(pr), estimateFor(std::move(est)), token(std::move(t)),
          prompt(TriagePrompt::Options{o.includeLocation,
                                       gemini::ThinkingPlan::forModel(c.model, c).allowance(o.thinkingAllowance), 120}),
          senders(o.pipelined ? std::max(1, o.requestsInFlight) : 1), concurrency(senders), jobs(o.pipelined ? size_t(senders) : 0)
    {
    }

    // Every client of the run shares the meter, the upload ledger and the quota signals.
    std::unique_ptr<GeminiClient> makeClient()
    {
        auto client = std::make_unique<GeminiClient>(config, usage);
        client->setUploadLedger(ledger);
        client->setQuotaWaitObserver([this](std::chrono::milliseconds wait) {
            if (wait.count() > 0)
                concurrency.throttled();
            if (quotaWait)
                quotaWait(int((wait.count() + 999) / 1000));
        });
        return client;
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
    Status upload(Prepared &p, GeminiClient &client);
    void assemble(const std::vector<int> &toSend);
    void assemblePipelined(const std::vector<int> &toSend, const std::function<void(Prepared)> &add);
    std::optional<Error> reserveRequest(const std::vector<int> &indices, int maxOutputTokens, double *reserved);
    void releaseRequest(double reserved);
    std::vector<ItemOutcome> judge(Job &job, GeminiClient &client);
    void finishJob(Job &job, GeminiClient &client);
    void sendLoop();
};

GeminiPipeline::GeminiPipeline(const gemini::GeminiConfig &config, const MediaPreparer &preparer, const TriageOptions &options,
                               const std::vector<TriageEntry> &entries, const ModelPrice &price, EstimateFor estimateFor,
                               CancellationToken token)
    : d(std::make_unique<State>(config, preparer, options, entries, price, std::move(estimateFor), std::move(token)))
{
}

GeminiPipeline::~GeminiPipeline() = default;

void GeminiPipeline::setQuotaWaitObserver(std::function<void(int seconds)> observer) { d->quotaWait = std::move(observer); }

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
        attachUpload(p, item, *media);
        return p;
    }
    p.wireBytes = (media->inlineData.size() + 2) / 3 * 4;
    item.media = gemini::InlineMediaPart{media->mimeType, std::move(media->inlineData)};
    p.prompt = std::move(item);
    return p;
}

bool GeminiPipeline::State::attachUpload(Prepared &p, PromptItem &item, const PreparedMedia &media)
{
    p.uploadPath = media.uploadPath;
    p.uploadMime = media.mimeType;
    p.prompt = std::move(item);
    const Status sent = upload(p, *makeClient());
    if (sent)
        return true;
    QFile::remove(p.uploadPath);
    if (GeminiClient::isFatal(sent.error()))
        stopWith(sent.error());
    p.error = makeError(sent.error().code, tr("upload failed: %1").arg(sent.error().message));
    p.prompt.reset();
    return false;
}

// Uploads p's prepared video (again, when its earlier file is gone) and points its prompt at it.
Status GeminiPipeline::State::upload(Prepared &p, GeminiClient &client)
{
    if (!p.remoteName.isEmpty())
        (void)client.deleteFile(p.remoteName, CancellationToken()); // usually gone already: done at once
    auto file = client.uploadFile(p.uploadPath, p.uploadMime, p.prompt->item->fileName, token);
    if (!file)
        return file.error();
    p.remoteName = file->name;
    p.prompt->media = gemini::FileMediaPart{file->mimeType.isEmpty() ? p.uploadMime : file->mimeType, file->uri};
    return Done{};
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
        jobs.push(std::move(job));
    };
    auto add = [&](Prepared p) {
        if (!p.prompt) {
            results.push({failed(p.index, std::move(*p.error))});
            return;
        }
        const int index = p.index;
        const qint64 bytes = p.wireBytes;
        const bool video = !p.uploadPath.isEmpty();
        pending.push_back(std::move(p));
        if (auto closed = batches.add(index, bytes, video))
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

// Before each request: the metered spend so far, the worst cases of the requests in flight and this
// request's worst case (its input estimate with a margin, and every output token it allows) must
// fit the cap together, so a run never ends above it whatever the answers cost.
std::optional<Error> GeminiPipeline::State::reserveRequest(const std::vector<int> &indices, int maxOutputTokens,
                                                           double *reserved)
{
    *reserved = 0;
    if (auto why = stopReason())
        return makeError(why->code, tr("not sent: %1").arg(why->message));
    if (!options.budgetUsd)
        return std::nullopt;
    const double worst = costOf(qint64(double(estimateFor(indices).inputTokens) * kInputMargin), maxOutputTokens, price);
    std::lock_guard l(mutex);
    const auto totals = usage->totals();
    const double spent = costOf(totals.promptTokens, totals.outputTokens, price);
    if (spent + committedUsd + worst > *options.budgetUsd) {
        if (!stop)
            stop = makeError(Error::Code::Cancelled, tr("the budget cap of $%1 was reached").arg(*options.budgetUsd, 0, 'f', 2));
        return makeError(stop->code, tr("not sent: %1").arg(stop->message));
    }
    committedUsd += worst;
    *reserved = worst;
    return std::nullopt;
}

void GeminiPipeline::State::releaseRequest(double reserved)
{
    std::lock_guard l(mutex);
    committedUsd -= reserved;
}

std::vector<ItemOutcome> GeminiPipeline::State::judge(Job &job, GeminiClient &client)
{
    std::vector<const PromptItem *> prompts;
    for (const Prepared &p : job.items)
        prompts.push_back(&*p.prompt);
    double reserved = 0;
    BatchJudge::Hooks hooks;
    hooks.beforeRequest = [&](const std::vector<size_t> &entries, const gemini::GenerateRequest &request) {
        std::vector<int> indices;
        for (size_t e : entries)
            indices.push_back(job.items[e].index);
        auto refused = reserveRequest(indices, request.maxOutputTokens, &reserved);
        if (!refused)
            concurrency.acquire();
        return refused;
    };
    hooks.afterRequest = [&] {
        concurrency.release();
        releaseRequest(reserved);
    };
    hooks.renewFile = [&](size_t entry) { return upload(job.items[entry], client); };
    BatchJudge judge(client, prompt, options.maxReasks, token, std::move(hooks));
    std::vector<ItemOutcome> outcomes;
    for (const BatchJudge::Outcome &o : judge.judge(prompts)) {
        const Prepared &p = job.items[o.entry];
        std::optional<Error> error;
        if (!o.ok)
            error = makeError(o.errorCode, o.error);
        outcomes.push_back(ItemOutcome{p.index, o.ok, o.keep, o.reason, std::move(error), o.modelVersion, p.sentBytes});
    }
    if (judge.fatalError())
        stopWith(*judge.fatalError());
    return outcomes;
}

// Uploads are deleted as soon as their batch is judged (20 GB per project, gemini-rest.md §6.4).
void GeminiPipeline::State::finishJob(Job &job, GeminiClient &client)
{
    for (const Prepared &p : job.items) {
        if (!p.uploadPath.isEmpty())
            QFile::remove(p.uploadPath);
        if (!p.remoteName.isEmpty())
            (void)client.deleteFile(p.remoteName, CancellationToken());
    }
}

void GeminiPipeline::State::sendLoop()
{
    const std::unique_ptr<GeminiClient> client = makeClient();
    for (;;) {
        std::optional<Job> job = jobs.pop();
        if (!job)
            return;
        std::vector<ItemOutcome> outcomes = judge(*job, *client);
        finishJob(*job, *client);
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
    // Nothing stays on Google's side, whatever happened: every name an upload was started under,
    // even one cancelled before its answer came, is deleted (a name that never became a file
    // answers 403/404, which is done).
    if (const QStringList left = s.ledger->take(); !left.isEmpty()) {
        const std::unique_ptr<GeminiClient> client = s.makeClient();
        for (const QString &name : left)
            (void)client->deleteFile(name, CancellationToken());
    }
    if (!s.stopReason() && s.token.isCancelled())
        s.stopWith(makeError(Error::Code::Cancelled, tr("cancelled")));
}

} // namespace mt
