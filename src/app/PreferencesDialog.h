#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class PreferencesDialog;
}

namespace mt::app {

// Settings people change rarely. Non-secret values go to QSettings; the API key only to the
// system keychain (through the core's ApiKeyStore, on a worker thread), never to a settings file.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget *parent = nullptr);
    ~PreferencesDialog() override;

    void accept() override;
    Ui::PreferencesDialog *ui() const { return m_ui.get(); }

signals:
    void keyTestFinished(bool ok, const QString &message);

private:
    void testKey();

    std::unique_ptr<Ui::PreferencesDialog> m_ui;
    bool m_envKey = false;
    bool m_keyEdited = false;
};

} // namespace mt::app
