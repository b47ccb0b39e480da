#include "cli/CliCommand.h"

#include "cli/InterruptGuard.h"
#include "cli/Terminal.h"
#include "common/Cancellation.h"
#include "video/VideoCompressor.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace mt::cli {

namespace {

QString humanBytes(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MB").arg(double(bytes) / (1024 * 1024), 0, 'f', 2);
    return QStringLiteral("%1 KB").arg(double(bytes) / 1024, 0, 'f', 1);
}

void printReport(const CompressionReport &r, const QString &input, const QString &output, bool asJson)
{
    const qint64 inputBytes = QFileInfo(input).size();
    if (asJson) {
        printJson({{"input", input.toStdString()},
                   {"output", output.toStdString()},
                   {"ok", true},
                   {"inputBytes", inputBytes},
                   {"outputBytes", r.outputBytes},
                   {"width", r.width},
                   {"height", r.height},
                   {"fps", r.frameRate},
                   {"durationSeconds", r.durationSeconds},
                   {"sourceDurationSeconds", r.sourceDurationSeconds},
                   {"preset", r.preset},
                   {"audio", r.hasAudio},
                   {"skippedPackets", r.skippedPackets},
                   {"incomplete", r.incomplete},
                   {"warning", r.warning.toStdString()}});
    } else {
        printLine(QCoreApplication::translate("compress", "%1: %2x%3, %4 fps, %5 s, %6 (from %7), AV1 preset %8%9")
                      .arg(QDir::toNativeSeparators(output))
                      .arg(r.width)
                      .arg(r.height)
                      .arg(r.frameRate, 0, 'g', 4)
                      .arg(r.durationSeconds, 0, 'f', 1)
                      .arg(humanBytes(r.outputBytes), humanBytes(inputBytes))
                      .arg(r.preset)
                      .arg(r.hasAudio ? QCoreApplication::translate("compress", " + Opus")
                                      : QCoreApplication::translate("compress", ", no sound")));
    }
    if (!r.warning.isEmpty())
        printError(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(input), r.warning));
}

} // namespace

int runCompress(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "compress", "Compress a video the way it is sent to Gemini: AV1 + Opus in WebM, at most 768 px "
                    "and 5 fps, mono 24 kb/s sound."));
    const QCommandLineOption preset(
        QStringLiteral("preset"),
        QCoreApplication::translate("compress", "SVT-AV1 preset 0 (slowest, smallest) to 13 (fastest); "
                                                "by default chosen from the clip's duration."),
        QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QCoreApplication::translate("compress", "Print the result as JSON."));
    parser.addOption(preset);
    parser.addOption(json);
    parser.addPositionalArgument(QStringLiteral("input"), QCoreApplication::translate("compress", "The video."),
                                 QStringLiteral("IN"));
    parser.addPositionalArgument(QStringLiteral("output"),
                                 QCoreApplication::translate("compress", "The WebM file to write."),
                                 QStringLiteral("OUT.webm"));
    if (const int rc = parseOrExit(parser, arguments, true); rc >= 0)
        return rc;

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2) {
        printError(QCoreApplication::translate("compress", "%1: give exactly one input video and one output file.")
                       .arg(arguments.value(0)));
        printError(QCoreApplication::translate("cli", "Try '%1 --help'.").arg(arguments.value(0)));
        return UsageError;
    }
    const QString input = positional[0];
    const QString output = positional[1];
    if (!output.endsWith(QLatin1String(".webm"), Qt::CaseInsensitive)) {
        printError(QCoreApplication::translate("compress", "%1: the output file name must end in .webm.")
                       .arg(arguments.value(0)));
        return UsageError;
    }

    CompressionProfile profile;
    if (parser.isSet(preset)) {
        bool ok = false;
        const int value = parser.value(preset).toInt(&ok);
        if (!ok || value < 0 || value > 13) {
            printError(QCoreApplication::translate("compress", "%1: --preset takes a number from 0 to 13.")
                           .arg(arguments.value(0)));
            return UsageError;
        }
        profile.preset = value;
    }

    // Ctrl-C or SIGTERM cancels cleanly, so the partial output is removed instead of left behind.
    CancellationToken token;
    InterruptGuard guard(token);
    guard.addPartialOutput(VideoCompressor::partialOutputPath(output));

    // A progress line only when a person watches; logs and pipes get the result line alone.
    const bool showProgress = stderrIsTerminal();
    const QByteArray name = QFileInfo(input).fileName().toLocal8Bit();
    int lastPercent = -1;
    auto onProgress = [&](double fraction) {
        const int percent = int(fraction * 100);
        if (percent == lastPercent)
            return;
        lastPercent = percent;
        std::fprintf(stderr, "\r%s: %3d%%", name.constData(), percent);
        std::fflush(stderr);
    };

    const VideoCompressor compressor(profile);
    const Result<CompressionReport> result =
        compressor.compress(input, output, showProgress ? VideoCompressor::ProgressCallback(onProgress)
                                                        : VideoCompressor::ProgressCallback(),
                            token);
    if (showProgress)
        std::fprintf(stderr, "\r\033[K");

    if (!result) {
        if (parser.isSet(json)) {
            printJson({{"input", input.toStdString()},
                       {"output", output.toStdString()},
                       {"ok", false},
                       {"error", result.error().message.toStdString()}});
        }
        printError(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(input), result.error().message));
        return guard.interrupted() ? guard.exitCode() : int(SomeItemsFailed);
    }
    printReport(*result, input, output, parser.isSet(json));
    return Success;
}

} // namespace mt::cli
