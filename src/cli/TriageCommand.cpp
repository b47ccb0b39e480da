#include "cli/CliCommand.h"
#include "cli/InterruptGuard.h"
#include "cli/Terminal.h"

#include "common/Cancellation.h"
#include "keychain/ApiKeyStore.h"
#include "media/FolderScanner.h"
#include "triage/CompanionTrash.h"
#include "triage/TriageReport.h"
#include "triage/TriageSession.h"
#include "triage/Trash.h"
#include "xmp/XmpDecisions.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

namespace mt::cli {

namespace {

QString tr(const char *text, int n = -1) { return QCoreApplication::translate("triage", text, nullptr, n); }

// What the command line asked for.
struct TriageRequest {
    SessionOptions session;
    QStringList paths;
    bool recursive = false;
    bool json = false;
    QString reportPath;
    bool trash = false;
    bool yes = false;
    std::optional<SidecarStyle> writeXmp; // --write-xmp, in this style for new sidecars
};

struct TriageCliOptions {
    QCommandLineOption engine{QStringLiteral("engine"), tr("auto, gemini or local (default auto: gemini when a key is set, else local)."),
                              QStringLiteral("ENGINE")};
    QCommandLineOption model{QStringLiteral("model"), tr("Gemini model id (default: GEMINI_MODEL or %1).")
                                                          .arg(gemini::GeminiConfig().model), QStringLiteral("M")};
    QCommandLineOption recursive{{QStringLiteral("r"), QStringLiteral("recursive")}, tr("Scan subfolders too.")};
    QCommandLineOption json{QStringLiteral("json"), tr("Print the result as one JSON document.")};
    QCommandLineOption report{QStringLiteral("report"), tr("Also write the result to FILE.json or FILE.csv."), QStringLiteral("FILE")};
    QCommandLineOption trash{QStringLiteral("trash"), tr("Move the discarded files to the system trash.")};
    QCommandLineOption yes{QStringLiteral("yes"), tr("Do not ask before moving to the trash.")};
    QCommandLineOption budget{QStringLiteral("budget"), tr("Stop before the run would cost more than USD."), QStringLiteral("USD")};
    QCommandLineOption price{QStringLiteral("price"),
                             tr("Your Gemini prices in USD per million tokens, input and output (e.g. 0.25,1.50); "
                                "default: the built-in price table."),
                             QStringLiteral("IN,OUT")};
    QCommandLineOption location{QStringLiteral("include-location"), tr("Tell Gemini where each picture was taken (off by default).")};
    QCommandLineOption writeXmp{QStringLiteral("write-xmp"),
                                tr("Write each decision to the file's XMP sidecar (the file itself is never changed): "
                                   "a discard sets xmp:Rating -1 unless you gave it stars.")};
    QCommandLineOption xmpStyle{QStringLiteral("xmp-style"),
                                tr("Name of new sidecars: darktable (IMG_1.JPG.xmp, default; darktable, digiKam) or adobe "
                                   "(IMG_1.xmp; Lightroom Classic). Existing sidecars are updated where they are."),
                                QStringLiteral("STYLE"), QStringLiteral("darktable")};
    QCommandLineOption localFirst{QStringLiteral("local-first"),
                                  tr("Judge offline first and send only the items it is unsure about to Gemini, "
                                     "with its measurements as hints.")};
};

// Parses the arguments; a return value >= 0 is the exit code to stop with.
int parseTriageRequest(const QStringList &arguments, TriageRequest &request)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Decide keep or discard for every photo and video, with a reason.\n"
        "Gemini needs an API key in GEMINI_API_KEY (or saved by the app); GEMINI_BASE_URL overrides the endpoint.\n"
        "Verdicts are stored, so running again over the same files costs nothing."));
    const TriageCliOptions o;
    for (const auto &option : {o.engine, o.model, o.recursive, o.json, o.report, o.trash, o.yes, o.budget, o.price, o.location,
                               o.localFirst, o.writeXmp, o.xmpStyle})
        parser.addOption(option);
    parser.addPositionalArgument(QStringLiteral("dir"), tr("Folder (or files) to triage."), QStringLiteral("DIR"));
    if (const int rc = parseOrExit(parser, arguments, true); rc >= 0)
        return rc;

    const auto engine = engineChoiceFromName(parser.value(o.engine));
    if (!engine) {
        printError(tr("%1: --engine takes auto, gemini or local.").arg(arguments.value(0)));
        return UsageError;
    }
    SessionOptions &s = request.session;
    s.engine = *engine;
    if (parser.isSet(o.budget)) {
        bool ok = false;
        s.triage.budgetUsd = parser.value(o.budget).toDouble(&ok);
        if (!ok || *s.triage.budgetUsd < 0) {
            printError(tr("%1: --budget takes an amount in USD, e.g. 0.50.").arg(arguments.value(0)));
            return UsageError;
        }
    }
    if (parser.isSet(o.price)) {
        const QStringList parts = parser.value(o.price).split(u',');
        bool inOk = false, outOk = false;
        const double in = parts.value(0).trimmed().toDouble(&inOk);
        const double out = parts.value(1).trimmed().toDouble(&outOk);
        if (parts.size() != 2 || !inOk || !outOk || in < 0 || out < 0) {
            printError(tr("%1: --price takes two amounts in USD per million tokens, input and output, e.g. 0.25,1.50.")
                           .arg(arguments.value(0)));
            return UsageError;
        }
        s.triage.price = ModelPrice::user(in, out);
    }
    s.gemini = gemini::GeminiConfig::fromEnvironment();
    if (parser.isSet(o.model))
        s.gemini.model = parser.value(o.model);
    s.apiKeyLookup = [] { return gemini::ApiKeyStore::lookup(); };
    s.localFirst = parser.isSet(o.localFirst);
    s.triage.includeLocation = parser.isSet(o.location);
    request.paths = parser.positionalArguments();
    request.recursive = parser.isSet(o.recursive);
    request.json = parser.isSet(o.json);
    request.reportPath = parser.value(o.report);
    request.trash = parser.isSet(o.trash);
    request.yes = parser.isSet(o.yes);
    const auto style = sidecarStyleFromName(parser.value(o.xmpStyle));
    if (!style) {
        printError(tr("%1: --xmp-style takes darktable or adobe.").arg(arguments.value(0)));
        return UsageError;
    }
    if (parser.isSet(o.writeXmp))
        request.writeXmp = *style;
    return -1;
}

void installFeedback(TriageOptions &options)
{
    options.confirmEstimate = [](const CostEstimate &e) {
        printError(tr("Sending %1 item(s) in about %2 request(s): ~%3 input + ~%4 output tokens, ~$%5 "
                      "at $%6/$%7 per million tokens (%8).")
                       .arg(e.items).arg(e.requests).arg(e.inputTokens).arg(e.outputTokens)
                       .arg(e.usd, 0, 'f', 4).arg(e.price.inputPerMillion).arg(e.price.outputPerMillion)
                       .arg(e.price.source == PriceSource::Assumed
                                ? tr("assumed: this model is not in the price table; set yours with --price")
                                : e.price.sourceLabel()));
        return true;
    };
    if (stderrIsTerminal()) {
        options.progress = [](const TriageProgress &p) {
            const QString waiting = p.quotaWaitSeconds > 0 ? tr(", waiting for quota (%1 s)").arg(p.quotaWaitSeconds) : QString();
            std::fprintf(stderr, "\r\033[K%d/%d items, %lld tokens%s", p.done, p.total,
                         static_cast<long long>(p.promptTokens + p.outputTokens), qPrintable(waiting));
            std::fflush(stderr);
        };
    }
}

void printHuman(const TriageRun &run)
{
    for (const TriageItemResult &r : run.items) {
        const QString detail = r.verdict == VerdictKind::Error ? r.errorMessage() : r.reason;
        printLine(QStringLiteral("%1  %2  %3 (%4)").arg(verdictName(r.verdict), -7).arg(r.path, detail, sourceName(r.source)));
    }
    printLine(tr("%1 request(s), %2 prompt + %3 output tokens")
                  .arg(run.usage.requests).arg(run.usage.promptTokens).arg(run.usage.outputTokens));
}

bool confirmOnTty(int count)
{
    std::fprintf(stderr, "%s", qPrintable(tr("Move %n discarded file(s) to the trash? [y/N] ", count)));
    std::fflush(stderr);
    std::string answer;
    if (!std::getline(std::cin, answer))
        return false;
    return answer == "y" || answer == "Y" || answer == "yes";
}

// Returns how many discards could not be moved, or -1 when the person was not asked and did not confirm.
int moveDiscards(const std::vector<TriageItemResult> &results, const std::vector<MediaItem> &items, bool yes)
{
    const auto discards = DiscardMover::discards(results);
    if (discards.empty())
        return 0;
    bool go = yes;
    if (!go && stdinIsTerminal()) {
        go = confirmOnTty(int(discards.size()));
    } else if (!go) {
        printError(tr("Not moving anything to the trash: confirm with --yes when not run from a terminal."));
        return -1;
    }
    if (!go)
        return 0;
    QHash<QString, QStringList> companions;
    for (const MediaItem &item : items)
        if (!item.companions.isEmpty())
            companions.insert(item.path, item.companions);
    int moved = 0, failures = 0;
    for (const TriageItemResult *r : discards) {
        std::vector<TrashOutcome> outcomes{DiscardMover::moveToTrash(*r)};
        if (outcomes.front().moved)
            for (TrashOutcome &c : moveCompanionsToTrash(*r, companions.value(r->path)))
                outcomes.push_back(std::move(c));
        for (const TrashOutcome &o : outcomes) {
            if (o.moved) {
                ++moved;
            } else {
                ++failures;
                printError(QStringLiteral("%1: %2").arg(o.path, o.error));
            }
        }
    }
    printError(tr("Moved %n file(s) to the trash.", moved));
    return failures;
}

// SIGINT/SIGTERM cancel the session: finished verdicts are already stored, uploads are deleted,
// and the command ends with 130/143 (forced after the grace period if a file is stuck).
TriageRun runSession(const TriageRequest &request, const std::vector<MediaItem> &items, int *interruptedCode)
{
    CancellationToken token;
    InterruptGuard guard(token);
    TriageRun run = TriageSession(request.session).run(items, token);
    if (request.session.triage.progress)
        std::fprintf(stderr, "\r\033[K");
    *interruptedCode = guard.exitCode();
    return run;
}

} // namespace

int runTriage(const QStringList &arguments)
{
    TriageRequest request;
    if (const int rc = parseTriageRequest(arguments, request); rc >= 0)
        return rc;
    installFeedback(request.session.triage);
    const std::vector<MediaItem> items = FolderScanner(ScanOptions{request.recursive}).scanPaths(request.paths);
    int interrupted = 0;
    const TriageRun run = runSession(request, items, &interrupted);
    for (const QString &notice : run.notices)
        printError(notice);
    if (run.setupFailed) {
        printError(run.stopped ? run.stopped->message : tr("The triage could not start."));
        return UsageError;
    }
    // What the person said in XMP before: listed where the engine disagrees, and it wins.
    TriageReport report = TriageReport::fromRun(run, &items);
    const std::vector<XmpReview> reviews = XmpDecisions::review(run.items);
    report.applyXmpReviews(reviews);
    for (size_t i = 0; i < reviews.size(); ++i) {
        if (reviews[i].error)
            printError(reviews[i].error->message);
        else if (!reviews[i].conflict.isEmpty())
            printError(QStringLiteral("%1: %2").arg(run.items[i].path, reviews[i].conflict));
    }
    if (request.json) {
        nlohmann::ordered_json doc = report.toJson();
        if (run.engine != QLatin1String("local"))
            doc["estimate"] = run.estimate.toJson();
        printJson(doc);
    }
    else
        printHuman(run);
    if (run.stopped)
        printError(tr("The run stopped early: %1").arg(run.stopped->message));
    if (run.unsavedVerdicts > 0)
        printError(tr("%n verdict(s) could not be saved and would be paid for again next time.", run.unsavedVerdicts));
    if (!request.reportPath.isEmpty()) {
        if (Status saved = report.save(request.reportPath); !saved) {
            printError(saved.error().message);
            return SomeItemsFailed;
        }
    }
    if (request.writeXmp) {
        const XmpWriteSummary written = XmpDecisions::write(run.items, run.engine, run.model, *request.writeXmp);
        for (const auto &[path, error] : written.failures)
            printError(QStringLiteral("%1: %2").arg(path, error.message));
        printError(tr("Wrote %n XMP sidecar(s).", written.written));
    }
    if (interrupted)
        return interrupted; // nothing is moved to the trash after an interrupt
    int failures = int(std::count_if(run.items.begin(), run.items.end(),
                                     [](const TriageItemResult &r) { return r.verdict == VerdictKind::Error; }));
    if (request.trash) {
        const int notMoved = moveDiscards(report.decidedResults(), items, request.yes);
        if (notMoved < 0)
            return UsageError;
        failures += notMoved;
    }
    return failures ? SomeItemsFailed : Success;
}

} // namespace mt::cli
