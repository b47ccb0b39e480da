#include "AppPaths.h"
#include "MainWindow.h"
#include "Welcome.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>


int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MediaTriage"));
    QApplication::setOrganizationDomain(QStringLiteral("mediatriage.org"));
    QApplication::setApplicationName(QStringLiteral("mediatriage"));
    QApplication::setApplicationDisplayName(QStringLiteral("MediaTriage"));
    QApplication::setApplicationVersion(QStringLiteral(MEDIATRIAGE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.mediatriage.MediaTriage"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("org.mediatriage.MediaTriage"),
                                                 QIcon(QStringLiteral(":/icons/mediatriage.svg"))));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Browse, triage and clean up photos and videos."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("paths"),
                                 QApplication::translate("main", "A folder to open, or files to select in their folder."),
                                 QStringLiteral("[PATH...]"));
    QCommandLineOption samplesOption(QStringLiteral("samples"), QApplication::translate("main", "Open the bundled sample media."));
    parser.addOption(samplesOption);
    parser.process(app);

    mt::app::MainWindow window;
    window.show();
    const QStringList paths = parser.positionalArguments();
    if (parser.isSet(samplesOption) && !mt::app::sampleFolder().isEmpty())
        window.openFolder(mt::app::sampleFolder());
    else if (!paths.isEmpty())
        window.openPaths(paths);
    else
        QTimer::singleShot(0, &window, [&window] { mt::app::showWelcomeOnFirstRun(&window); });
    return app.exec();
}
