// bootstrap: the Lambda custom runtime of MediaTriage (see lambda/Runtime.h).
#include "lambda/Runtime.h"

#include "lambda/MediaJobs.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    // QImage needs no platform, but a plugin that asks for one must not look for a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bootstrap"));
    QCoreApplication::setOrganizationName(QStringLiteral("MediaTriage"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "bootstrap",
        "MediaTriage's AWS Lambda runtime. Without options it serves the Runtime API named by "
        "AWS_LAMBDA_RUNTIME_API. Events: {\"action\":\"triage\",\"bucket\":B,\"prefix\":P}, S3 upload "
        "notifications, API Gateway HTTP API requests."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption event(QStringLiteral("event"),
                                   QCoreApplication::translate("bootstrap", "Run the event in FILE once, without the Runtime API: "
                                                                            "the response on stdout, logs on stderr."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption requestId(QStringLiteral("request-id"),
                                       QCoreApplication::translate("bootstrap", "Request id for --event (default: a new UUID)."),
                                       QStringLiteral("ID"));
    const QCommandLineOption timeout(QStringLiteral("timeout-s"),
                                     QCoreApplication::translate("bootstrap", "Deadline for --event in seconds (default 900)."),
                                     QStringLiteral("N"), QStringLiteral("900"));
    const QCommandLineOption selfTest(QStringLiteral("self-test"),
                                      QCoreApplication::translate("bootstrap", "Check that the bundled libraries and codecs work, then exit."));
    parser.addOptions({event, requestId, timeout, selfTest});
    parser.process(app);

    if (parser.isSet(selfTest)) {
        auto jobs = mt::lambda::MediaModule::jobs();
        if (!jobs) {
            std::fprintf(stderr, "%s\n", qPrintable(jobs.error().message));
            return mt::lambda::ExitInitFailed;
        }
        return (*jobs)->selfTest();
    }
    if (parser.isSet(event)) {
        bool ok = false;
        const int seconds = parser.value(timeout).toInt(&ok);
        if (!ok || seconds <= 0) {
            std::fprintf(stderr, "%s\n", qPrintable(QCoreApplication::translate("bootstrap", "--timeout-s takes a positive number of seconds")));
            return mt::lambda::ExitUsage;
        }
        return mt::lambda::runLocalEvent(parser.value(event), parser.value(requestId).toUtf8(), seconds);
    }
    const int code = mt::lambda::runRuntimeLoop();
    mt::lambda::MediaModule::settle();
    return code;
}
