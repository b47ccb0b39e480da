#include "ReviewActions.h"

#include "MediaFilterProxy.h"
#include "MediaGridModel.h"
#include "MediaGridView.h"
#include "OverrideStore.h"
#include "triage/VerdictStore.h"
#include "xmp/XmpDecisions.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QSet>
#include <QSettings>
#include <QWidget>

namespace mt::app {

namespace {
QAction *makeAction(QObject *parent, const QString &name, const QString &text, const QKeySequence &key)
{
    auto *a = new QAction(text, parent);
    a->setObjectName(name);
    a->setShortcut(key);
    return a;
}
} // namespace

ReviewActions::ReviewActions(MediaGridModel *model, MediaFilterProxy *proxy, MediaGridView *grid, QWidget *window)
    : QObject(window), m_model(model), m_proxy(proxy), m_grid(grid),
      m_overrides(new OverrideStore(VerdictStore::defaultPath(), this)),
      // The culling keys photographers know from Lightroom.
      m_keep(makeAction(this, QStringLiteral("keep"), tr("&Keep (Pick)"), QKeySequence(Qt::Key_P))),
      m_discard(makeAction(this, QStringLiteral("discard"), tr("&Discard (Reject)"), QKeySequence(Qt::Key_X))),
      m_clear(makeAction(this, QStringLiteral("clearDecision"), tr("C&lear Decision"), QKeySequence(Qt::Key_U))),
      m_keepBest(makeAction(this, QStringLiteral("keepBest"), tr("Keep &Best of Each Group, Discard the Rest"),
                            QKeySequence(Qt::CTRL | Qt::Key_B))),
      m_writeXmp(makeAction(this, QStringLiteral("writeXmp"), tr("Write Decisions to &XMP Sidecars"), QKeySequence()))
{
    connect(m_writeXmp, &QAction::triggered, this, &ReviewActions::writeXmpSidecars);
    connect(m_keep, &QAction::triggered, this, [this] { overrideSelection(true); });
    connect(m_discard, &QAction::triggered, this, [this] { overrideSelection(false); });
    connect(m_clear, &QAction::triggered, this, [this] { overrideSelection(std::nullopt); });
    connect(m_keepBest, &QAction::triggered, this, &ReviewActions::keepBestOfGroups);

    connect(m_overrides, &OverrideStore::found, this, [this](const QHash<QString, bool> &keepByPath) {
        for (auto it = keepByPath.cbegin(); it != keepByPath.cend(); ++it)
            m_model->setOverride(it.key(), it.value());
        emit decisionsChanged();
    });
    connect(m_overrides, &OverrideStore::saved, this, &ReviewActions::onSaved);
    connect(m_overrides, &OverrideStore::notice, this, [this](const QString &text) { emit warning(tr("Review"), text); });
}

void ReviewActions::onSaved(const QString &path, const QString &hash, bool ok)
{
    // Overrides made before any triage learn the file's hash here, which the trash needs.
    if (const ItemVerdict *v = m_model->verdict(path); v && v->contentHash.isEmpty() && !hash.isEmpty()) {
        ItemVerdict copy = *v;
        copy.contentHash = hash;
        m_model->setVerdict(path, copy);
    }
    if (!ok)
        emit message(tr("Could not remember your decision for %1").arg(QFileInfo(path).fileName()), 5000);
    emit overrideSaved(path);
}

void ReviewActions::overrideSelection(std::optional<bool> keep)
{
    const QStringList paths = m_grid->selectedPaths();
    if (paths.isEmpty())
        return;
    const int row = m_grid->currentIndex().isValid() ? m_grid->currentIndex().row() : 0;
    for (const QString &path : paths) {
        m_model->setOverride(path, keep);
        const ItemVerdict *v = m_model->verdict(path);
        m_overrides->save(path, v ? v->contentHash : QString(), keep);
    }
    // On to the next item, as in every culling tool. If the filter hid the decided item, the next
    // one has moved up into its row.
    const bool stillShown = m_proxy->mapFromSource(m_model->indexOf(paths.last())).isValid();
    const int next = std::min(stillShown ? row + 1 : row, m_proxy->rowCount() - 1);
    if (next >= 0) {
        const QModelIndex index = m_proxy->index(next, 0);
        m_grid->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        m_grid->scrollTo(index);
    }
    emit decisionsChanged();
}

bool ReviewActions::decidedWithoutAsking(GroupKind kind)
{
    // An edit's original and a similar shot are different pictures: only the person, by selecting
    // their group, asks for the rest of it to go.
    return kind == GroupKind::Exact || kind == GroupKind::Burst;
}

void ReviewActions::keepBestOfGroups()
{
    QSet<QString> groups;
    for (const QString &path : m_grid->selectedPaths())
        if (const ItemVerdict *v = m_model->verdict(path); v && !v->similarGroup.isEmpty())
            groups.insert(v->similarGroup);
    const bool all = groups.isEmpty();
    // Decided from a snapshot: setOverride() changes the entries being looked at.
    std::vector<std::pair<QString, ItemVerdict>> members;
    for (const GridEntry &e : m_model->entries()) {
        if (!e.verdict || e.verdict->similarGroup.isEmpty())
            continue;
        if (all ? decidedWithoutAsking(e.verdict->groupKind) : groups.contains(e.verdict->similarGroup))
            members.emplace_back(e.item.path, *e.verdict);
    }
    for (const auto &[path, v] : members) {
        m_model->setOverride(path, v.bestOfGroup);
        m_overrides->save(path, v.contentHash, v.bestOfGroup);
    }
    emit message(all ? tr("Kept the best of each group of copies and bursts; %1 items decided (select an edited or "
                          "similar group to decide it too)").arg(int(members.size()))
                     : tr("Kept the best of each selected group; %1 items decided").arg(int(members.size())),
                 8000);
    emit decisionsChanged();
}

void ReviewActions::writeXmpSidecars()
{
    // The decision each item ends with: the person's where they decided, else the engine's.
    std::vector<TriageItemResult> decided;
    for (const GridEntry &e : m_model->entries()) {
        if (!e.verdict || e.verdict->isError())
            continue;
        TriageItemResult r = e.verdict->result;
        r.path = e.item.path;
        r.verdict = e.verdict->effectiveKeep() ? VerdictKind::Keep : VerdictKind::Discard;
        if (e.verdict->overrideKeep)
            r.reason = tr("decided by the person");
        decided.push_back(std::move(r));
    }
    const auto style = sidecarStyleFromName(QSettings().value(QStringLiteral("xmp/style")).toString())
                           .value_or(SidecarStyle::Darktable);
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const XmpWriteSummary written = XmpDecisions::write(decided, {}, {}, style);
    QApplication::restoreOverrideCursor();
    QStringList problems;
    for (const auto &[path, error] : written.failures)
        problems << QFileInfo(path).fileName() + QStringLiteral(": ") + error.message;
    if (!problems.isEmpty())
        emit warning(tr("XMP sidecars"), tr("%n sidecar(s) were not written:", nullptr, int(problems.size())) + u'\n'
                                             + problems.join(u'\n'));
    emit message(tr("Wrote %n XMP sidecar(s)", nullptr, written.written), 8000);
}

void ReviewActions::restoreDecisions(const QHash<QString, QString> &hashByPath)
{
    m_overrides->lookup(hashByPath);
}

void ReviewActions::updateEnabled()
{
    const auto &entries = m_model->entries();
    m_keepBest->setEnabled(std::any_of(entries.begin(), entries.end(), [](const GridEntry &e) {
        return e.verdict && !e.verdict->similarGroup.isEmpty();
    }));
    m_writeXmp->setEnabled(std::any_of(entries.begin(), entries.end(), [](const GridEntry &e) {
        return e.verdict && !e.verdict->isError();
    }));
}

} // namespace mt::app
