#include "cli/CliCommand.h"

#include <QCoreApplication>

#include <cstring>
#include <iterator>

using namespace mt::cli;

namespace {

constexpr Command kCommands[] = {
    {"info", "Show what each photo and video is and its metadata.", runInfo},
    {"compress", "Compress a video to AV1+Opus WebM the way it is sent to Gemini.", runCompress},
    {"thumb", "Make upright thumbnails of photos and videos (shared cache or a folder).", runThumb},
    {"analyze", "Judge photos and videos offline (exposure, focus, empty frames) and group near-duplicates.", runAnalyze},
    {"triage", "Decide keep or discard for every photo and video (Gemini), with reasons.", runTriage},
};

void printUsage()
{
    printLine(QStringLiteral("Usage: mediatriage-cli COMMAND [OPTIONS] PATH...\n\nCommands:"));
    for (const Command &c : kCommands)
        printLine(QStringLiteral("  %1  %2").arg(QLatin1String(c.name), -10).arg(QLatin1String(c.summary)));
    printLine(QStringLiteral("\nRun 'mediatriage-cli COMMAND --help' for the options of a command."));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mediatriage"));
    QCoreApplication::setOrganizationName(QStringLiteral("MediaTriage"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MEDIATRIAGE_VERSION));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        printUsage();
        return args.size() < 2 ? UsageError : Success;
    }
    if (args[1] == QLatin1String("--version")) {
        printLine(QStringLiteral("mediatriage-cli ") + QCoreApplication::applicationVersion());
        return Success;
    }
    for (const Command &c : kCommands) {
        if (args[1] == QLatin1String(c.name)) {
            QStringList rest = args.mid(2);
            rest.prepend(QStringLiteral("mediatriage-cli ") + args[1]);
            return c.run(rest);
        }
    }
    printError(QStringLiteral("mediatriage-cli: unknown command '%1'").arg(args[1]));
    printUsage();
    return UsageError;
}
