#include "PreferencesDialog.h"

#include "AppSettings.h"
#include "keychain/ApiKeyStore.h"
#include "gemini/GeminiClient.h"
#include "ui_PreferencesDialog.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QPushButton>
#include <QtConcurrent>

namespace mt::app {

PreferencesDialog::PreferencesDialog(QWidget *parent) : QDialog(parent), m_ui(std::make_unique<Ui::PreferencesDialog>())
{
    m_ui->setupUi(this);
    const AppSettings settings = AppSettings::load();

    m_ui->engineCombo->addItem(tr("Automatic (Gemini when a key is set, else offline)"), int(EngineChoice::Automatic));
    m_ui->engineCombo->addItem(tr("Gemini"), int(EngineChoice::Gemini));
    m_ui->engineCombo->addItem(tr("Offline analysis"), int(EngineChoice::Local));
    m_ui->engineCombo->setCurrentIndex(m_ui->engineCombo->findData(int(settings.engine)));
    for (const QString &model : {QStringLiteral("gemini-3.5-flash-lite"), QStringLiteral("gemini-3.5-flash"),
                                 QStringLiteral("gemini-2.5-flash-lite"), QStringLiteral("gemini-2.5-flash")})
        m_ui->modelCombo->addItem(model);
    m_ui->modelCombo->setCurrentText(settings.model);
    m_ui->recursiveCheck->setChecked(settings.recursive);
    m_ui->thumbSizeSpin->setValue(settings.thumbnailEdge);
    m_ui->uncertainOnlyCheck->setChecked(settings.uncertainOnly);
    m_ui->budgetSpin->setValue(settings.budgetUsd);
    m_ui->inputPriceSpin->setValue(settings.inputPricePerMillion);
    m_ui->outputPriceSpin->setValue(settings.outputPricePerMillion);

    // The environment wins over the keychain; say so instead of pretending the field matters.
    m_envKey = !gemini::ApiKeyStore::fromEnvironment().isEmpty();
    if (m_envKey) {
        m_ui->apiKeyEdit->setEnabled(false);
        m_ui->apiKeyEdit->setPlaceholderText(tr("Set by GEMINI_API_KEY"));
        m_ui->keyStatusLabel->setText(tr("The GEMINI_API_KEY environment variable is set and takes precedence over the keychain."));
    } else {
        m_ui->keyStatusLabel->setText(tr("Reading the keychain…"));
        auto *watcher = new QFutureWatcher<Result<QString>>(this);
        connect(watcher, &QFutureWatcher<Result<QString>>::finished, this, [this, watcher] {
            const Result<QString> key = watcher->result();
            watcher->deleteLater();
            if (!key) {
                m_ui->keyStatusLabel->setText(key.error().message);
            } else if (!m_keyEdited) {
                m_ui->apiKeyEdit->setText(*key);
                m_ui->keyStatusLabel->setText(key->isEmpty() ? tr("No key yet: triage runs offline.")
                                                             : tr("A key is stored in the system keychain."));
            }
        });
        watcher->setFuture(QtConcurrent::run([] { return gemini::ApiKeyStore::readKeychain(); }));
    }
    connect(m_ui->apiKeyEdit, &QLineEdit::textEdited, this, [this] { m_keyEdited = true; });
    connect(m_ui->testKeyButton, &QPushButton::clicked, this, &PreferencesDialog::testKey);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
}

PreferencesDialog::~PreferencesDialog() = default;

void PreferencesDialog::testKey()
{
    gemini::GeminiConfig config = gemini::GeminiConfig::fromEnvironment();
    if (!m_envKey)
        config.apiKey = m_ui->apiKeyEdit->text().trimmed();
    config.model = m_ui->modelCombo->currentText().trimmed();
    if (config.apiKey.isEmpty()) {
        m_ui->keyStatusLabel->setText(tr("Enter a key first."));
        return;
    }
    m_ui->testKeyButton->setEnabled(false);
    m_ui->keyStatusLabel->setText(tr("Checking the key with Gemini…"));
    auto *watcher = new QFutureWatcher<Result<gemini::ModelInfo>>(this);
    connect(watcher, &QFutureWatcher<Result<gemini::ModelInfo>>::finished, this, [this, watcher] {
        const Result<gemini::ModelInfo> info = watcher->result();
        watcher->deleteLater();
        m_ui->testKeyButton->setEnabled(true);
        const QString message = info ? tr("The key works: %1 is available.").arg(info->displayName.isEmpty() ? info->id() : info->displayName)
                                     : info.error().message;
        m_ui->keyStatusLabel->setText(message);
        emit keyTestFinished(info.ok(), message);
    });
    watcher->setFuture(QtConcurrent::run([config] {
        gemini::GeminiClient client(config);
        return client.checkModel(config.model);
    }));
}

void PreferencesDialog::accept()
{
    AppSettings settings = AppSettings::load();
    settings.engine = EngineChoice(m_ui->engineCombo->currentData().toInt());
    settings.model = m_ui->modelCombo->currentText().trimmed();
    settings.recursive = m_ui->recursiveCheck->isChecked();
    settings.thumbnailEdge = m_ui->thumbSizeSpin->value();
    settings.uncertainOnly = m_ui->uncertainOnlyCheck->isChecked();
    settings.budgetUsd = m_ui->budgetSpin->value();
    settings.inputPricePerMillion = m_ui->inputPriceSpin->value();
    settings.outputPricePerMillion = m_ui->outputPriceSpin->value();
    settings.save();
    if (!m_envKey && m_keyEdited) {
        const QString key = m_ui->apiKeyEdit->text().trimmed();
        // Fire and forget on a worker: the keychain may take a moment and the dialog is closing.
        (void)QtConcurrent::run([key] {
            return key.isEmpty() ? gemini::ApiKeyStore::removeFromKeychain() : gemini::ApiKeyStore::writeKeychain(key);
        });
    }
    QDialog::accept();
}

} // namespace mt::app
