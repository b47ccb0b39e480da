#pragma once

#include "quality/GroupKind.h"

#include <QHash>
#include <QObject>

#include <optional>

class QAction;
class QWidget;

namespace mt::app {

class MediaFilterProxy;
class MediaGridModel;
class MediaGridView;
class OverrideStore;

// The person's review decisions: Keep / Discard / Clear on the selection (P / X / U, then on to
// the next item) and "keep the best of each similar group". Owns the actions and the store that
// remembers the decisions by content hash; the window only places the actions and listens.
class ReviewActions : public QObject
{
    Q_OBJECT

public:
    ReviewActions(MediaGridModel *model, MediaFilterProxy *proxy, MediaGridView *grid, QWidget *window);

    QAction *keepAction() const { return m_keep; }
    QAction *discardAction() const { return m_discard; }
    QAction *clearAction() const { return m_clear; }
    QAction *keepBestAction() const { return m_keepBest; }
    QAction *writeXmpAction() const { return m_writeXmp; }
    QList<QAction *> actions() const { return {m_keep, m_discard, m_clear, m_keepBest, m_writeXmp}; }

    void overrideSelection(std::optional<bool> keep);
    // Keep each group's suggested best, discard the rest: the selection's groups, or, when the
    // selection has none, the groups of copies and bursts (never an edit's original or a similar
    // shot unless the person selects its group). Recorded as the person's decisions.
    void keepBestOfGroups();
    // Review › Write Decisions to XMP Sidecars: every decided item's sidecar (style: setting xmp/style).
    void writeXmpSidecars();
    // Asks the store for earlier decisions on these files; they come back into the model, where
    // they win over whatever the engine said.
    void restoreDecisions(const QHash<QString, QString> &hashByPath);
    void updateEnabled();

signals:
    void overrideSaved(const QString &path);
    void decisionsChanged();
    void message(const QString &text, int timeoutMs);
    // The decisions store was damaged and moved aside, or cannot be opened: said once.
    void warning(const QString &title, const QString &text);

private:
    static bool decidedWithoutAsking(GroupKind kind);
    void onSaved(const QString &path, const QString &hash, bool ok);

    MediaGridModel *m_model;
    MediaFilterProxy *m_proxy;
    MediaGridView *m_grid;
    OverrideStore *m_overrides;
    QAction *m_keep;
    QAction *m_discard;
    QAction *m_clear;
    QAction *m_keepBest;
    QAction *m_writeXmp;
};

} // namespace mt::app
