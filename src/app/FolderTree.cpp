#include "FolderTree.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemModel>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QStandardPaths>
#include <QTreeView>
#include <QVBoxLayout>

namespace mt::app {

namespace {
constexpr int kPathRole = Qt::UserRole + 1;
}

FolderTree::FolderTree(QWidget *parent)
    : QWidget(parent), m_places(new QListWidget(this)), m_tree(new QTreeView(this)), m_model(new QFileSystemModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *placesLabel = new QLabel(tr("Places"), this);
    placesLabel->setContentsMargins(6, 4, 0, 0);
    layout->addWidget(placesLabel);
    layout->addWidget(m_places);
    layout->addWidget(m_tree, 1);

    m_places->setAccessibleName(tr("Places and recent folders"));
    m_places->setFrameShape(QFrame::NoFrame);
    connect(m_places, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { emit folderActivated(item->data(kPathRole).toString()); });
    connect(m_places, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { emit folderActivated(item->data(kPathRole).toString()); });

    // QFileSystemModel lists on its own thread, so a slow network mount never blocks the tree.
    m_model->setFilter(QDir::AllDirs | QDir::NoDotAndDotDot);
    m_model->setRootPath(QDir::rootPath());
    m_model->setReadOnly(true);
    m_tree->setModel(m_model);
    m_tree->setAccessibleName(tr("Folders"));
    m_tree->setHeaderHidden(true);
    for (int column = 1; column < m_model->columnCount(); ++column)
        m_tree->hideColumn(column);
    m_tree->setFrameShape(QFrame::NoFrame);
    connect(m_tree, &QTreeView::activated, this,
            [this](const QModelIndex &index) { emit folderActivated(m_model->filePath(index)); });
    connect(m_tree, &QTreeView::clicked, this,
            [this](const QModelIndex &index) { emit folderActivated(m_model->filePath(index)); });
    // The model loads the path's parents asynchronously; scroll again once they are there, so the
    // opened folder ends up in view rather than wherever the half-loaded tree put it.
    connect(m_model, &QFileSystemModel::directoryLoaded, this, [this](const QString &dir) {
        if (m_pendingFolder.isEmpty() || !m_pendingFolder.startsWith(dir))
            return;
        const QModelIndex index = m_model->index(m_pendingFolder);
        if (index.isValid())
            m_tree->scrollTo(index, QAbstractItemView::PositionAtCenter);
        if (dir == QFileInfo(m_pendingFolder).absolutePath())
            m_pendingFolder.clear();
    });
    rebuildPlaces();
}

void FolderTree::setCurrentFolder(const QString &folder)
{
    m_pendingFolder = folder;
    const QModelIndex index = m_model->index(folder);
    if (!index.isValid())
        return;
    // Select without expanding: expanding makes QFileSystemModel list the folder's thousands of
    // files on the GUI thread (it filters them out only afterwards). The person expands it if they want.
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void FolderTree::setRecentFolders(const QStringList &folders)
{
    m_recent = folders;
    rebuildPlaces();
}

void FolderTree::rebuildPlaces()
{
    m_places->clear();
    const auto add = [this](const QString &label, const QString &path, const QString &tooltip) {
        if (path.isEmpty() || !QFileInfo(path).isDir())
            return;
        auto *item = new QListWidgetItem(label, m_places);
        item->setData(kPathRole, path);
        item->setToolTip(tooltip);
    };
    const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    add(tr("Pictures"), pictures, pictures);
    add(tr("Home"), QDir::homePath(), QDir::homePath());
    for (const QString &folder : m_recent)
        add(QStringLiteral("↻ ") + QFileInfo(folder).fileName(), folder, folder);
    // As tall as its entries, so the tree gets the rest of the pane.
    const int rows = std::max(1, m_places->count());
    m_places->setFixedHeight(std::min(rows, 8) * std::max(m_places->sizeHintForRow(0), fontMetrics().height() + 4) + 4);
}

} // namespace mt::app
