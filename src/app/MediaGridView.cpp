#include "MediaGridView.h"

#include "MediaGridModel.h"

#include <QKeyEvent>
#include <QScrollBar>

#include <algorithm>

namespace mt::app {

MediaGridView::MediaGridView(QWidget *parent) : QListView(parent)
{
    setViewMode(QListView::IconMode);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(true);
    // Lay thousands of tiles out in slices between events, so opening a big folder never freezes.
    setLayoutMode(QListView::Batched);
    setBatchSize(400);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSpacing(4);
    setMouseTracking(true);
    setWordWrap(false);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setAccessibleName(tr("Photos and videos"));
    connect(this, &QListView::doubleClicked, this, &MediaGridView::previewRequested);
}

void MediaGridView::setTileSize(QSize size)
{
    setGridSize(size + QSize(spacing(), spacing()));
    verticalScrollBar()->setSingleStep(std::max(20, size.height() / 4));
}

void MediaGridView::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid()) {
        emit previewRequested(currentIndex());
        return;
    }
    QListView::keyPressEvent(event);
}

QStringList MediaGridView::selectedPaths() const
{
    QStringList paths;
    QModelIndexList rows = selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : rows)
        paths << index.data(MediaGridModel::PathRole).toString();
    return paths;
}

} // namespace mt::app
