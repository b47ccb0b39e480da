#pragma once

#include <QListView>

namespace mt::app {

// The thumbnail grid: an icon-mode list with uniform tiles (so thousands lay out instantly) that
// turns Enter/Return and double-click into "preview this".
class MediaGridView : public QListView
{
    Q_OBJECT

public:
    explicit MediaGridView(QWidget *parent = nullptr);

    void setTileSize(QSize size);
    // The selected items' paths, in the order the grid shows them.
    QStringList selectedPaths() const;

signals:
    void previewRequested(const QModelIndex &index);

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

} // namespace mt::app
