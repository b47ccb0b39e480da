#pragma once

#include "media/MediaItem.h"

#include <QDialog>
#include <QThreadPool>

#include <vector>

class QLabel;
class QToolButton;
class QStackedWidget;

namespace mt::app {

class ImageViewer;
class VideoPlayer;

// Full-size look at one item of the current list: photos decoded by the core at screen size
// (upright, HEIC included) on a worker thread, videos through Qt Multimedia. Left/Right move
// through the list, Esc or Space closes. A Motion Photo gets a "Motion" button that plays the
// video inside it straight from memory.
class PreviewWindow : public QDialog
{
    Q_OBJECT

public:
    explicit PreviewWindow(QWidget *parent = nullptr);
    ~PreviewWindow() override;

    void showItems(std::vector<MediaItem> items, int current);
    int currentIndex() const { return m_current; }
    const MediaItem *currentItem() const;
    ImageViewer *imageViewer() const { return m_image; }
    VideoPlayer *videoPlayer() const { return m_video; }
    bool isShowingVideo() const;
    QToolButton *motionButton() const { return m_motion; }

signals:
    void currentChanged(const QString &path); // so the grid can follow
    void imageLoaded(const QString &path);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void done(int result) override;

private:
    void showCurrent();
    void step(int delta);
    void loadPhoto(const MediaItem &item);
    void showMotion(bool play);

    std::vector<MediaItem> m_items;
    int m_current = -1;
    quint64 m_generation = 0;
    QStackedWidget *m_stack;
    ImageViewer *m_image;
    VideoPlayer *m_video;
    QLabel *m_title;
    QToolButton *m_motion; // plays a Motion Photo's video, shown only for those
    QByteArray m_motionClip;
    QThreadPool m_pool;
};

} // namespace mt::app
