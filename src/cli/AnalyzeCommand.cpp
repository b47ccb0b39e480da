#include "cli/CliCommand.h"

#include "cli/InterruptGuard.h"

#include "media/FolderScanner.h"
#include "quality/QualityAnalyzer.h"
#include "quality/LocalFirstTriage.h"
#include "quality/QualityJson.h"
#include "xmp/XmpDecisions.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace mt::cli {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("analyze", text); }

// Returns how many sidecars could not be written.
int writeSidecars(const std::vector<quality::ItemAnalysis> &results, SidecarStyle style)
{
    std::vector<TriageItemResult> verdicts;
    for (const quality::ItemAnalysis &a : results)
        verdicts.push_back(quality::toTriageResult(a, a.contentHash));
    const XmpWriteSummary written = XmpDecisions::write(verdicts, QStringLiteral("local"), {}, style);
    for (const auto &[path, error] : written.failures)
        printError(QStringLiteral("%1: %2").arg(path, error.message));
    printError(QCoreApplication::translate("analyze", "Wrote %n XMP sidecar(s).", nullptr, written.written));
    return int(written.failures.size());
}

} // namespace

int runAnalyze(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Judge every photo and video offline (exposure, focus, empty frames, black or blurry clips) and group "
        "near-duplicates. Nothing is sent anywhere and nothing is moved."));
    const QCommandLineOption recursive({QStringLiteral("r"), QStringLiteral("recursive")}, tr("Scan subfolders too."));
    const QCommandLineOption json(QStringLiteral("json"), tr("Print one JSON array, an object per item."));
    const QCommandLineOption keeper(QStringLiteral("keeper"),
                                    tr("Which picture of a near-duplicate group to suggest keeping: sharpest (default), "
                                       "exposure, largest, original (HEIC before JPEG copies)."),
                                    QStringLiteral("RULE"), QStringLiteral("sharpest"));
    const QCommandLineOption noGroups(QStringLiteral("no-groups"), tr("Do not look for near-duplicates."));
    const QCommandLineOption writeXmp(QStringLiteral("write-xmp"),
                                      tr("Write each verdict to the file's XMP sidecar (the file itself is never changed)."));
    const QCommandLineOption xmpStyle(QStringLiteral("xmp-style"),
                                      tr("Name of new sidecars: darktable (IMG_1.JPG.xmp, default) or adobe (IMG_1.xmp)."),
                                      QStringLiteral("STYLE"), QStringLiteral("darktable"));
    parser.addOption(recursive);
    parser.addOption(json);
    parser.addOption(keeper);
    parser.addOption(noGroups);
    parser.addOption(writeXmp);
    parser.addOption(xmpStyle);
    parser.addPositionalArgument(QStringLiteral("paths"), tr("Files or folders."), QStringLiteral("PATH..."));
    if (const int rc = parseOrExit(parser, arguments, true); rc >= 0)
        return rc;

    quality::AnalyzeOptions options;
    const auto rule = quality::keeperRuleFromName(parser.value(keeper));
    if (!rule) {
        printError(tr("%1: unknown keeper rule '%2' (use sharpest, exposure, largest or original).")
                       .arg(arguments.value(0), parser.value(keeper)));
        return UsageError;
    }
    options.keeperRule = *rule;
    const auto style = sidecarStyleFromName(parser.value(xmpStyle));
    if (!style) {
        printError(tr("%1: --xmp-style takes darktable or adobe.").arg(arguments.value(0)));
        return UsageError;
    }
    options.groupDuplicates = !parser.isSet(noGroups);

    const FolderScanner scanner(ScanOptions{parser.isSet(recursive)});
    const std::vector<MediaItem> items = scanner.scanPaths(parser.positionalArguments());
    // Ctrl-C or SIGTERM stops the analysis; what finished is still printed.
    CancellationToken token;
    InterruptGuard guard(token);
    const std::vector<quality::ItemAnalysis> results = quality::QualityAnalyzer::analyze(items, options, token);

    int failures = 0, discards = 0, grouped = 0;
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const quality::ItemAnalysis &a : results) {
        failures += a.verdict.verdict == VerdictKind::Error;
        discards += a.verdict.verdict == VerdictKind::Discard;
        grouped += a.duplicateGroup >= 0 && !a.bestInGroup;
        if (parser.isSet(json)) {
            array.push_back(quality::analysisToJson(a));
            continue;
        }
        printLine(QStringLiteral("%1  %2").arg(verdictName(a.verdict.verdict).toUpper(), -7).arg(a.item.path));
        if (a.verdict.verdict == VerdictKind::Error)
            printLine(QStringLiteral("         ") + a.verdict.reason);
        else
            printLine(QStringLiteral("         %1 (%2)")
                          .arg(a.verdict.reason, tr("confidence %1").arg(a.verdict.confidence, 0, 'f', 2)));
        if (a.group)
            printLine(QStringLiteral("         ")
                      + (a.group->best ? tr("best of %1 group %2").arg(groupKindName(a.group->kind)).arg(a.group->id + 1)
                                       : tr("%1 group %2, keeper %3")
                                             .arg(groupKindName(a.group->kind))
                                             .arg(a.group->id + 1)
                                             .arg(QFileInfo(a.group->keeperPath).fileName())));
    }
    if (parser.isSet(json)) {
        printJson(array);
    } else {
        printLine(QString());
        printLine(QCoreApplication::translate("analyze", "%n item(s)", nullptr, int(results.size()))
                  + QCoreApplication::translate("analyze", ", %n to discard", nullptr, discards)
                  + QCoreApplication::translate("analyze", ", %n similar to a better one", nullptr, grouped)
                  + (failures ? QCoreApplication::translate("analyze", ", %n with problems", nullptr, failures) : QString()));
    }
    if (parser.isSet(writeXmp))
        failures += writeSidecars(results, *style);
    if (guard.interrupted())
        return guard.exitCode();
    return failures ? SomeItemsFailed : Success;
}

} // namespace mt::cli
