#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace mt::cli {

// Exit codes shared by every subcommand.
enum ExitCode { Success = 0, SomeItemsFailed = 1, UsageError = 2 };

// A subcommand receives its own arguments (argv[0] is "mediatriage-cli <name>").
using CommandFunction = int (*)(const QStringList &arguments);

struct Command {
    const char *name;
    const char *summary;
    CommandFunction run;
};

// Parses `arguments` with `parser`; on --help prints help and returns Success, on errors prints
// them and returns UsageError; returns -1 when the caller should go on.
int parseOrExit(QCommandLineParser &parser, const QStringList &arguments, bool requirePositional);

void printJson(const nlohmann::ordered_json &value);
void printLine(const QString &line);
void printError(const QString &line);

int runInfo(const QStringList &arguments);
int runAnalyze(const QStringList &arguments);
int runCompress(const QStringList &arguments);
int runThumb(const QStringList &arguments);
int runTriage(const QStringList &arguments);

} // namespace mt::cli
