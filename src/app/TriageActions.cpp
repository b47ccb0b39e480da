#include "TriageActions.h"

#include "AppSettings.h"
#include "MediaGridModel.h"
#include "TriageController.h"
#include "keychain/ApiKeyStore.h"
#include "triage/ModelPrices.h"
#include "triage/VerdictStore.h"

#include <QFileInfo>

#include <QAction>
#include <QMessageBox>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>
#include <QWidget>

namespace mt::app {

TriageActions::TriageActions(MediaGridModel *model, QWidget *window)
    : QObject(window), m_model(model), m_window(window), m_triage(new TriageController(this)),
      m_triageAction(new QAction(tr("&Triage"), this)), m_cancelAction(new QAction(tr("&Cancel Triage"), this)),
      m_progress(new QProgressBar(window)), m_cancelButton(new QToolButton(window))
{
    m_triageAction->setObjectName(QStringLiteral("triage"));
    m_triageAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_triageAction->setIcon(QIcon::fromTheme(QStringLiteral("system-run"), window->style()->standardIcon(QStyle::SP_MediaPlay)));
    m_triageAction->setToolTip(tr("Decide keep or discard for every item (Ctrl+T)"));
    connect(m_triageAction, &QAction::triggered, this, &TriageActions::startTriage);
    m_cancelAction->setObjectName(QStringLiteral("cancelTriage"));
    connect(m_cancelAction, &QAction::triggered, this, [this] { m_triage->cancel(); });

    m_progress->setAccessibleName(tr("Triage progress"));
    m_progress->setMaximumWidth(180);
    m_progress->hide();
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setAccessibleName(tr("Cancel triage"));
    m_cancelButton->hide();
    connect(m_cancelButton, &QToolButton::clicked, this, [this] { m_triage->cancel(); });

    connect(m_triage, &TriageController::started, this, &TriageActions::onStarted);
    connect(m_triage, &TriageController::progressChanged, this, &TriageActions::onProgress);
    connect(m_triage, &TriageController::finished, this, &TriageActions::onFinished);
    m_triage->setEstimateQuestion([this](const CostEstimate &e) { return askCost(e); });
}

bool TriageActions::askCost(const CostEstimate &e)
{
    QString text = tr("Send %n item(s) to Gemini in %1 request(s)?", nullptr, e.items).arg(e.requests) + QLatin1Char('\n')
                 + tr("Estimated %1 input and %2 output tokens").arg(e.inputTokens).arg(e.outputTokens);
    text += tr(", about $%1 at $%2 input / $%3 output per million tokens").arg(e.usd, 0, 'f', 4)
                .arg(e.price.inputPerMillion).arg(e.price.outputPerMillion);
    text += e.price.source == PriceSource::Assumed
        ? tr(" (assumed: %1 is not in the price table; set your prices in Preferences).").arg(e.model)
        : e.price.source == PriceSource::User ? tr(" (your prices).") : tr(" (price table of %1).").arg(ModelPrices::tableDate());
    return QMessageBox::question(m_window, tr("Triage Cost"), text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes)
        == QMessageBox::Yes;
}

void TriageActions::updateEnabled()
{
    const bool running = m_triage->isRunning();
    m_triageAction->setEnabled(!running && m_model->rowCount() > 0);
    m_cancelAction->setEnabled(running);
}

void TriageActions::startTriage()
{
    if (m_triage->isRunning() || m_model->rowCount() == 0)
        return;
    const AppSettings settings = AppSettings::load();
    gemini::GeminiConfig config = gemini::GeminiConfig::fromEnvironment();
    if (!qEnvironmentVariableIsSet("GEMINI_MODEL") && !settings.model.isEmpty())
        config.model = settings.model;
    SessionOptions options;
    options.engine = settings.engine;
    options.localFirst = settings.uncertainOnly;
    options.gemini = config;
    // The keychain may take a moment to answer: the session asks it on its worker thread.
    options.apiKeyLookup = [] { return gemini::ApiKeyStore::lookup(); };
    options.triage.includeLocation = settings.includeLocation;
    options.triage.price = settings.userPrice().value_or(ModelPrice::forModel(config.model));
    if (settings.budgetUsd > 0)
        options.triage.budgetUsd = settings.budgetUsd;
    m_triage->start(std::move(options), m_model->items());
}

void TriageActions::onStarted(const QString &engine, int total)
{
    m_engineName = engine;
    m_progress->setRange(0, std::max(total, 1));
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
    emit progressText(tr("Triage with the %1: starting…").arg(engine));
    updateEnabled();
}

void TriageActions::onProgress(const TriageProgress &p, double usd)
{
    m_progress->setRange(0, std::max(p.total, 1));
    m_progress->setValue(p.done);
    QString stage = p.stage == TriageProgress::Stage::Reading ? tr("reading") : p.stage == TriageProgress::Stage::Judging ? tr("judging") : tr("done");
    QString text = tr("Triage (%1): %2 %3 of %4").arg(m_engineName, stage).arg(p.done).arg(p.total);
    if (p.promptTokens + p.outputTokens > 0)
        text += tr(" · %1 tokens · $%2").arg(p.promptTokens + p.outputTokens).arg(usd, 0, 'f', 4);
    if (p.quotaWaitSeconds > 0)
        text += tr(" · waiting for quota (%1 s)").arg(p.quotaWaitSeconds);
    emit progressText(text);
}

QString TriageActions::groupNote(const ItemGroup &group)
{
    const QString keeper = QFileInfo(group.keeperPath).fileName();
    switch (group.kind) {
    case GroupKind::Edited: return tr("(the edit %1 is suggested)").arg(keeper);
    case GroupKind::Burst: return tr("(burst: %1 is the sharpest)").arg(keeper);
    case GroupKind::Exact:
    case GroupKind::Similar: break;
    }
    return tr("(similar to %1)").arg(keeper);
}

void TriageActions::onFinished(const TriageRun &run)
{
    m_progress->hide();
    m_cancelButton->hide();
    int keep = 0, discard = 0, errors = 0;
    QHash<QString, QString> hashes;
    for (const TriageItemResult &r : run.items) {
        ItemVerdict v;
        v.kind = r.verdict;
        v.reason = r.verdict == VerdictKind::Error ? r.errorMessage() : r.reason;
        // An exact copy's reason already names its keeper.
        if (!v.reason.isEmpty() && r.group && !r.group->best && r.group->kind != GroupKind::Exact)
            v.reason += QLatin1Char(' ') + groupNote(*r.group);
        v.source = r.source;
        v.contentHash = r.contentHash;
        v.result = r;
        if (r.group) {
            v.similarGroup = QString::number(r.group->id);
            v.bestOfGroup = r.group->best;
            v.groupKind = r.group->kind;
        }
        m_model->setVerdict(r.path, v);
        hashes.insert(r.path, r.contentHash);
        (r.verdict == VerdictKind::Keep ? keep : r.verdict == VerdictKind::Discard ? discard : errors)++;
    }
    for (const QString &notice : run.notices)
        emit warning(tr("Triage"), notice);
    if (run.unsavedVerdicts > 0)
        emit warning(tr("Triage"), tr("%n verdict(s) could not be saved to the verdict store; they would be paid for "
                                      "again next time. Check the disk space and permissions of %1.", nullptr,
                                      run.unsavedVerdicts).arg(VerdictStore::defaultPath()));
    emit verdictsApplied(hashes);
    emit judgedBy(run.engine, run.model);
    QString summary = tr("Triage finished: %1 keep, %2 discard, %3 errors").arg(keep).arg(discard).arg(errors);
    if (run.usage.promptTokens + run.usage.outputTokens > 0)
        summary += tr(" · %1 tokens used").arg(run.usage.promptTokens + run.usage.outputTokens);
    if (run.stopped && run.stopped->code != Error::Code::Cancelled)
        emit warning(tr("Triage"), tr("Triage stopped: %1").arg(run.stopped->message));
    else if (run.stopped)
        summary = tr("Triage cancelled; finished items are kept.");
    emit message(summary, 10000);
    emit finished();
}

} // namespace mt::app
