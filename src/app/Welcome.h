#pragma once

class QMessageBox;

namespace mt::app {

class MainWindow;

// First run: a short welcome that opens the bundled sample media, so the app shows something at
// once. Shown once per user (remembered in QSettings); returns the box, or null when not shown.
// Non-blocking: the box is window-modal and deletes itself.
QMessageBox *showWelcomeOnFirstRun(MainWindow *window);

} // namespace mt::app
