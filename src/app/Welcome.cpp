#include "Welcome.h"

#include "AppPaths.h"
#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace mt::app {

QMessageBox *showWelcomeOnFirstRun(MainWindow *window)
{
    QSettings settings;
    if (settings.value(QStringLiteral("firstRunDone"), false).toBool())
        return nullptr;
    settings.setValue(QStringLiteral("firstRunDone"), true);
    const QString samples = sampleFolder();
    auto *box = new QMessageBox(window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("welcome"));
    box->setWindowTitle(MainWindow::tr("Welcome to MediaTriage"));
    box->setIconPixmap(QApplication::windowIcon().pixmap(64, 64));
    box->setText(MainWindow::tr("<h3>Welcome to MediaTriage</h3>"
        "<p>Open a folder of photos and videos, press <b>Triage</b> to sort the keepers from the "
        "dark, blurry and accidental shots, review the verdicts (P keep, X discard, U clear) and move "
        "the discards to the trash. Nothing is deleted without your confirmation.</p>"));
    QPushButton *openSamples = nullptr;
    if (!samples.isEmpty()) {
        openSamples = box->addButton(MainWindow::tr("Open the Sample Media"), QMessageBox::AcceptRole);
        openSamples->setObjectName(QStringLiteral("openSamples"));
        box->setDefaultButton(openSamples);
    }
    QPushButton *openFolder = box->addButton(MainWindow::tr("Open a Folder…"), QMessageBox::ActionRole);
    box->addButton(QMessageBox::Close);
    QObject::connect(box, &QMessageBox::buttonClicked, window, [window, samples, openSamples, openFolder](QAbstractButton *b) {
        if (openSamples && b == openSamples)
            window->openFolder(samples);
        else if (b == openFolder)
            window->action(QStringLiteral("openFolder"))->trigger();
    });
    box->open();
    return box;
}

} // namespace mt::app
