#include "AppPaths.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTimer>

namespace {

// First run: a short welcome that opens the bundled samples, so the app shows something at once.
void welcome(mt::app::MainWindow *window)
{
    QSettings settings;
    if (settings.value(QStringLiteral("firstRunDone"), false).toBool())
        return;
    settings.setValue(QStringLiteral("firstRunDone"), true);
    const QString samples = mt::app::sampleFolder();
    QMessageBox box(window);
    box.setWindowTitle(QApplication::translate("Welcome", "Welcome to MediaTriage"));
    box.setIconPixmap(QApplication::windowIcon().pixmap(64, 64));
    box.setText(QApplication::translate("Welcome", "<h3>Welcome to MediaTriage</h3>"
        "<p>Open a folder of photos and videos, press <b>Triage</b> to sort the keepers from the "
        "dark, blurry and accidental shots, review the verdicts (P keep, X discard, U clear) and move "
        "the discards to the trash. Nothing is deleted without your confirmation.</p>"));
    QPushButton *openSamples = nullptr;
    if (!samples.isEmpty())
        openSamples = box.addButton(QApplication::translate("Welcome", "Open the Sample Media"), QMessageBox::AcceptRole);
    QPushButton *openFolder = box.addButton(QApplication::translate("Welcome", "Open a Folder…"), QMessageBox::ActionRole);
    box.addButton(QMessageBox::Close);
    box.exec();
    if (openSamples && box.clickedButton() == openSamples)
        window->openFolder(samples);
    else if (box.clickedButton() == openFolder)
        window->findChild<QAction *>(QStringLiteral("openFolder"))->trigger();
}

} // namespace

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
        QTimer::singleShot(0, &window, [&window] { welcome(&window); });
    return app.exec();
}
