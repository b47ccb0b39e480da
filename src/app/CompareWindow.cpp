#include "CompareWindow.h"

#include "ImageViewer.h"
#include "thumbs/ThumbnailGenerator.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace mt::app {

CompareWindow::CompareWindow(const std::vector<MediaItem> &items, QWidget *parent) : QDialog(parent), m_items(items)
{
    setWindowTitle(tr("Compare %1 items").arg(items.size()));
    setAccessibleName(tr("Compare"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(2, 2, 2, 2);
    grid->setSpacing(4);
    const int columns = items.size() <= 3 ? int(items.size()) : int(std::ceil(std::sqrt(double(items.size()))));
    m_pool.setMaxThreadCount(2);
    // Large enough to zoom into, far cheaper than the full resolution of a 48 MP photo.
    const int edge = 2048;
    for (size_t i = 0; i < items.size(); ++i) {
        auto *cell = new QWidget(this);
        auto *layout = new QVBoxLayout(cell);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *label = new QLabel(items[i].fileName, cell);
        label->setAlignment(Qt::AlignCenter);
        auto *viewer = new ImageViewer(cell);
        viewer->setMessage(tr("Loading…"));
        viewer->setAccessibleName(tr("Photo %1").arg(items[i].fileName));
        layout->addWidget(label);
        layout->addWidget(viewer, 1);
        grid->addWidget(cell, int(i) / columns, int(i) % columns);
        m_viewers << viewer;
        connect(viewer, &ImageViewer::viewChanged, this, [this, viewer](bool fit, double scale, QPointF centre) {
            if (m_syncing)
                return;
            m_syncing = true;
            for (ImageViewer *other : std::as_const(m_viewers))
                if (other != viewer)
                    other->setView(fit, scale, centre);
            m_syncing = false;
        });
        ++m_pending;
        const MediaItem item = items[i];
        m_pool.start([this, viewer, item, edge] {
            Result<QImage> image = ThumbnailGenerator::generateWithinBudget(item, edge);
            QMetaObject::invokeMethod(this, [this, viewer, image = std::move(image)] {
                if (image)
                    viewer->setImage(*image);
                else
                    viewer->setMessage(image.error().message);
                if (--m_pending == 0)
                    emit imagesLoaded();
            }, Qt::QueuedConnection);
        });
    }
    resize(1200, 700);
}

CompareWindow::~CompareWindow()
{
    m_pool.clear();
    m_pool.waitForDone();
}

} // namespace mt::app
