#pragma once

#include <QWidget>

class QFileSystemModel;
class QListWidget;
class QTreeView;

namespace mt::app {

// The left pane: places (Pictures, Home, recent folders) above a tree of directories only.
// It reports the folder the person picked and never loads anything itself.
class FolderTree : public QWidget
{
    Q_OBJECT

public:
    explicit FolderTree(QWidget *parent = nullptr);

    void setCurrentFolder(const QString &folder);
    void setRecentFolders(const QStringList &folders);
    QTreeView *treeView() const { return m_tree; }

signals:
    void folderActivated(const QString &folder);

private:
    void rebuildPlaces();

    QListWidget *m_places;
    QTreeView *m_tree;
    QFileSystemModel *m_model;
    QStringList m_recent;
    QString m_pendingFolder;
};

} // namespace mt::app
