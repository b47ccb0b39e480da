#include "cli/CliCommand.h"

#include <QCoreApplication>

#include <cstdio>
#include <iostream>

namespace mt::cli {

int parseOrExit(QCommandLineParser &parser, const QStringList &arguments, bool requirePositional)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QCoreApplication::translate("cli", "Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        printError(parser.errorText());
        printError(QCoreApplication::translate("cli", "Try '%1 --help'.").arg(arguments.value(0)));
        return UsageError;
    }
    if (parser.isSet(help)) {
        // QCommandLineParser names the binary by its path; users typed "mediatriage-cli <command>".
        QString text = parser.helpText();
        text.replace(0, text.indexOf(u' ', 7), QStringLiteral("Usage: ") + arguments.value(0));
        printLine(text);
        return Success;
    }
    if (requirePositional && parser.positionalArguments().isEmpty()) {
        printError(QCoreApplication::translate("cli", "%1: no file or folder given.").arg(arguments.value(0)));
        printError(QCoreApplication::translate("cli", "Try '%1 --help'.").arg(arguments.value(0)));
        return UsageError;
    }
    return -1;
}

void printJson(const nlohmann::ordered_json &value)
{
    std::cout << value.dump(2) << '\n';
    std::cout.flush();
}

void printLine(const QString &line)
{
    std::cout << line.toStdString() << '\n';
}

void printError(const QString &line)
{
    std::cout.flush();
    std::cerr << line.toStdString() << '\n';
}

} // namespace mt::cli
