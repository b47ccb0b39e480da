#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

class QAbstractItemView;
class QSortFilterProxyModel;

namespace mt {
class ThumbnailService;
}

namespace mt::app {

class MediaGridModel;

// Decides which thumbnails to ask for: the tiles on screen first, then one screen ahead, and
// nothing for tiles scrolled away (their requests are dropped before they cost anything). It
// watches the view (scroll, resize, sort, filter) and feeds results into the model.
class ThumbnailScheduler : public QObject
{
    Q_OBJECT

public:
    ThumbnailScheduler(ThumbnailService *service, MediaGridModel *model, QSortFilterProxyModel *proxy,
                       QAbstractItemView *view, QObject *parent = nullptr);

    // Logical edge of the tiles; the request size is the freedesktop size that covers it at the
    // screen's device pixel ratio, so thumbnails stay sharp on high-DPI screens.
    void setDisplayEdge(int edge);
    int requestSize() const { return m_requestSize; }
    void reset(); // new folder
    int firstScreenRemaining() const; // visible tiles still without a thumbnail (for the benchmark)

public slots:
    void schedule();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    void firstScreenComplete(); // every tile of the first screen after a reset has its thumbnail

private:
    void update();
    void onReady(const QString &path, int size, const QImage &image);
    void onFailed(const QString &path, int size);
    QList<int> visibleRows(int *lastVisible) const;

    ThumbnailService *m_service;
    MediaGridModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QPointer<QAbstractItemView> m_view;
    QTimer m_timer;
    QTimer m_settle;
    int m_displayEdge = 160;
    int m_requestSize = 256;
    QHash<QString, int> m_loadedSize;
    QSet<QString> m_failed;
    QSet<QString> m_firstScreen;
    bool m_firstScreenPending = false;
};

} // namespace mt::app
