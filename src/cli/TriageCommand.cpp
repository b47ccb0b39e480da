#include "cli/CliCommand.h"

#include "common/Cancellation.h"
#include "keychain/ApiKeyStore.h"
#include "gemini/GeminiClient.h"
#include "media/FolderScanner.h"
#include "quality/LocalFirstTriage.h"
#include "quality/QualityAnalyzer.h"
#include "triage/ContentHash.h"
#include "triage/TriageEngine.h"
#include "triage/Trash.h"
#include "triage/VerdictStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QtConcurrent/QtConcurrentMap>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

namespace mt::cli {

namespace {

CancellationToken *g_triageToken = nullptr;
extern "C" void onTriageInterrupt(int)
{
    if (g_triageToken)
        g_triageToken->cancel();
}

QString tr(const char *text, int n = -1) { return QCoreApplication::translate("triage", text, nullptr, n); }

nlohmann::ordered_json runJson(const QString &engine, const TriageRun &run)
{
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    for (const TriageItemResult &r : run.items) {
        nlohmann::ordered_json item;
        item["path"] = r.path.toStdString();
        item["verdict"] = verdictName(r.verdict).toStdString();
        item["reason"] = r.reason.toStdString();
        item["source"] = sourceName(r.source).toStdString();
        item["error"] = r.error.isEmpty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.error.toStdString());
        items.push_back(std::move(item));
    }
    nlohmann::ordered_json doc;
    doc["engine"] = engine.toStdString();
    doc["model"] = run.model.isEmpty() ? nlohmann::ordered_json() : nlohmann::ordered_json(run.model.toStdString());
    doc["items"] = std::move(items);
    doc["usage"] = {{"requests", run.usage.requests},
                    {"prompt_tokens", run.usage.promptTokens},
                    {"output_tokens", run.usage.outputTokens}};
    return doc;
}

QString csvField(QString s)
{
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n')) {
        s.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        return u'"' + s + u'"';
    }
    return s;
}

bool writeReport(const QString &path, const QString &engine, const TriageRun &run, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = file.errorString();
        return false;
    }
    if (path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)) {
        QTextStream out(&file);
        out << "path,verdict,reason,source,error\n";
        for (const TriageItemResult &r : run.items)
            out << csvField(r.path) << ',' << verdictName(r.verdict) << ',' << csvField(r.reason) << ','
                << sourceName(r.source) << ',' << csvField(r.error) << '\n';
    } else {
        file.write(QByteArray::fromStdString(runJson(engine, run).dump(2)) + '\n');
    }
    return file.error() == QFile::NoError;
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

// The offline engine (issue 6) behind the same output: no key, no network, no cost.
TriageRun runLocal(const std::vector<MediaItem> &items, const CancellationToken &token)
{
    TriageRun run;
    // Hashes first, so a file edited after its verdict is refused by --trash.
    QList<QString> hashes = QtConcurrent::blockingMapped<QList<QString>>(items, [](const MediaItem &item) {
        auto hash = item.ok() ? contentHash(item.path) : Result<QString>(QString());
        return hash ? *hash : QString();
    });
    const auto analyses = quality::QualityAnalyzer::analyze(items, {}, token);
    for (size_t i = 0; i < analyses.size(); ++i) {
        const quality::ItemAnalysis &a = analyses[i];
        run.items.push_back(quality::toTriageResult(a, hashes.value(qsizetype(i))));
    }
    if (token.isCancelled())
        run.stopped = makeError(Error::Code::Cancelled, tr("cancelled"));
    return run;
}

} // namespace

int runTriage(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Decide keep or discard for every photo and video, with a reason.\n"
        "Gemini needs an API key in GEMINI_API_KEY (or saved by the app); GEMINI_BASE_URL overrides the endpoint.\n"
        "Verdicts are stored, so running again over the same files costs nothing."));
    const QCommandLineOption engineOpt(QStringLiteral("engine"), tr("gemini or local (default: gemini when a key is set, else local)."),
                                       QStringLiteral("ENGINE"));
    const QCommandLineOption modelOpt(QStringLiteral("model"), tr("Gemini model id (default: GEMINI_MODEL or %1).")
                                          .arg(gemini::GeminiConfig().model), QStringLiteral("M"));
    const QCommandLineOption recursiveOpt({QStringLiteral("r"), QStringLiteral("recursive")}, tr("Scan subfolders too."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), tr("Print the result as one JSON document."));
    const QCommandLineOption reportOpt(QStringLiteral("report"), tr("Also write the result to FILE.json or FILE.csv."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption trashOpt(QStringLiteral("trash"), tr("Move the discarded files to the system trash."));
    const QCommandLineOption yesOpt(QStringLiteral("yes"), tr("Do not ask before moving to the trash."));
    const QCommandLineOption budgetOpt(QStringLiteral("budget"), tr("Stop before the run would cost more than USD."),
                                       QStringLiteral("USD"));
    const QCommandLineOption locationOpt(QStringLiteral("include-location"),
                                         tr("Tell Gemini where each picture was taken (off by default)."));
    const QCommandLineOption localFirstOpt(QStringLiteral("local-first"),
                                           tr("Judge offline first and send only the items it is unsure about to Gemini, "
                                              "with its measurements as hints."));
    for (const auto &o : {engineOpt, modelOpt, recursiveOpt, jsonOpt, reportOpt, trashOpt, yesOpt, budgetOpt, locationOpt,
                          localFirstOpt})
        parser.addOption(o);
    parser.addPositionalArgument(QStringLiteral("dir"), tr("Folder (or files) to triage."), QStringLiteral("DIR"));
    if (const int rc = parseOrExit(parser, arguments, true); rc >= 0)
        return rc;

    const QString engineName = parser.value(engineOpt);
    if (!engineName.isEmpty() && engineName != QLatin1String("gemini") && engineName != QLatin1String("local")) {
        printError(tr("%1: --engine takes gemini or local.").arg(arguments.value(0)));
        return UsageError;
    }
    std::optional<double> budget;
    if (parser.isSet(budgetOpt)) {
        bool ok = false;
        budget = parser.value(budgetOpt).toDouble(&ok);
        if (!ok || *budget < 0) {
            printError(tr("%1: --budget takes an amount in USD, e.g. 0.50.").arg(arguments.value(0)));
            return UsageError;
        }
    }

    const QString key = engineName == QLatin1String("local") ? QString() : gemini::ApiKeyStore::lookup();
    if (engineName == QLatin1String("gemini") && key.isEmpty()) {
        printError(tr("No Gemini API key: set GEMINI_API_KEY or save a key in the app's settings."));
        return UsageError;
    }
    // Without a key the offline engine judges; with one, Gemini does.
    const bool local = key.isEmpty();

    const std::vector<MediaItem> items =
        FolderScanner(ScanOptions{parser.isSet(recursiveOpt)}).scanPaths(parser.positionalArguments());

    CancellationToken token;
    g_triageToken = &token;
    std::signal(SIGINT, onTriageInterrupt);
    std::signal(SIGTERM, onTriageInterrupt);
    const bool tty = isatty(fileno(stderr));

    std::optional<Error> setupError;
    TriageRun run;
    if (local) {
        run = runLocal(items, token);
    } else {
        gemini::GeminiConfig config = gemini::GeminiConfig::fromEnvironment();
        config.apiKey = key;
        if (parser.isSet(modelOpt))
            config.model = parser.value(modelOpt);

        auto store = VerdictStore::open();
        if (!store) {
            printError(store.error().message);
            return UsageError;
        }
        TriageOptions options;
        options.includeLocation = parser.isSet(locationOpt);
        options.budgetUsd = budget;
        options.confirmEstimate = [&](const CostEstimate &e) {
            printError(tr("Sending %1 item(s) in about %2 request(s): ~%3 input + ~%4 output tokens, %5.")
                           .arg(e.items).arg(e.requests).arg(e.inputTokens).arg(e.outputTokens)
                           .arg(e.priceKnown ? QStringLiteral("~$%1").arg(e.usd, 0, 'f', 4) : tr("price unknown for this model")));
            // The key and model check costs nothing; it runs only when something is to be sent.
            gemini::GeminiClient client(config);
            auto model = client.checkModel(config.model, token);
            if (!model) {
                setupError = model.error();
                return false;
            }
            return true;
        };
        if (tty) {
            options.progress = [](const TriageProgress &p) {
                std::fprintf(stderr, "\r\033[K%d/%d items, %lld tokens", p.done, p.total,
                             static_cast<long long>(p.promptTokens + p.outputTokens));
                std::fflush(stderr);
            };
        }
        TriageEngine engine(config, store->get());
        if (parser.isSet(localFirstOpt)) {
            const auto plan = quality::LocalFirstTriage::plan(items, {}, token);
            options.hint = plan.hints();
            run = plan.merge(engine.run(plan.forGemini(), options, token));
        } else {
            run = engine.run(items, options, token);
        }
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_triageToken = nullptr;
    if (tty)
        std::fprintf(stderr, "\r\033[K");

    if (setupError) {
        printError(setupError->message);
        return UsageError;
    }

    const QString engineLabel = local ? QStringLiteral("local") : QStringLiteral("gemini");
    if (parser.isSet(jsonOpt)) {
        printJson(runJson(engineLabel, run));
    } else {
        for (const TriageItemResult &r : run.items) {
            const QString detail = r.verdict == VerdictKind::Error ? r.error : r.reason;
            printLine(QStringLiteral("%1  %2  %3 (%4)").arg(verdictName(r.verdict), -7).arg(r.path, detail, sourceName(r.source)));
        }
        printLine(tr("%1 request(s), %2 prompt + %3 output tokens")
                      .arg(run.usage.requests).arg(run.usage.promptTokens).arg(run.usage.outputTokens));
    }
    if (run.stopped)
        printError(tr("The run stopped early: %1").arg(run.stopped->message));

    if (parser.isSet(reportOpt)) {
        QString error;
        if (!writeReport(parser.value(reportOpt), engineLabel, run, &error)) {
            printError(tr("Cannot write the report %1: %2").arg(parser.value(reportOpt), error));
            return SomeItemsFailed;
        }
    }

    int failures = 0;
    for (const TriageItemResult &r : run.items)
        failures += r.verdict == VerdictKind::Error ? 1 : 0;

    if (parser.isSet(trashOpt)) {
        const auto discards = DiscardMover::discards(run.items);
        if (!discards.empty()) {
            bool go = parser.isSet(yesOpt);
            if (!go && isatty(fileno(stdin))) {
                go = confirmOnTty(int(discards.size()));
            } else if (!go) {
                printError(tr("Not moving anything to the trash: confirm with --yes when not run from a terminal."));
                return UsageError;
            }
            if (go) {
                int moved = 0;
                for (const TriageItemResult *r : discards) {
                    const TrashOutcome o = DiscardMover::moveToTrash(*r);
                    if (o.moved)
                        ++moved;
                    else {
                        ++failures;
                        printError(QStringLiteral("%1: %2").arg(o.path, o.error));
                    }
                }
                printError(tr("Moved %n file(s) to the trash.", moved));
            }
        }
    }
    return failures ? SomeItemsFailed : Success;
}

} // namespace mt::cli
