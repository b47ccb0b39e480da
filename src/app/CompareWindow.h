#pragma once

#include "media/MediaItem.h"

#include <QDialog>
#include <QThreadPool>

#include <vector>

namespace mt::app {

class ImageViewer;

// Two or more photos side by side with synchronized zoom and pan, to pick the best of a burst.
class CompareWindow : public QDialog
{
    Q_OBJECT

public:
    explicit CompareWindow(const std::vector<MediaItem> &items, QWidget *parent = nullptr);
    ~CompareWindow() override;

    const QList<ImageViewer *> &viewers() const { return m_viewers; }
    const std::vector<MediaItem> &items() const { return m_items; }

signals:
    void imagesLoaded();

private:
    std::vector<MediaItem> m_items; // in the order of the viewers
    QList<ImageViewer *> m_viewers;
    QThreadPool m_pool;
    int m_pending = 0;
    bool m_syncing = false;
};

} // namespace mt::app
