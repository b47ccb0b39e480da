#include "ThumbnailScheduler.h"

#include "MediaGridModel.h"
#include "thumbs/ThumbnailService.h"
#include "thumbs/ThumbnailSize.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QScrollBar>
#include <QSortFilterProxyModel>

namespace mt::app {

namespace {
// Beyond this many pixmaps, those far from the screen are dropped (about 250 MB at 512 px).
constexpr int kMaxPixmaps = 900;
} // namespace

ThumbnailScheduler::ThumbnailScheduler(ThumbnailService *service, MediaGridModel *model, QSortFilterProxyModel *proxy,
                                       QAbstractItemView *view, QObject *parent)
    : QObject(parent), m_service(service), m_model(model), m_proxy(proxy), m_view(view)
{
    // Coalesces bursts (a scroll fling, a model reset) into one pass after the events settle.
    m_timer.setSingleShot(true);
    m_timer.setInterval(15);
    connect(&m_timer, &QTimer::timeout, this, &ThumbnailScheduler::update);
    // Safety net: while tiles on screen still lack a thumbnail, look again now and then. A pass
    // made while the batched layout was still placing tiles can miss some, and nothing else
    // would ask again until the person scrolls. Requests are deduplicated, so this is cheap.
    m_settle.setInterval(250);
    connect(&m_settle, &QTimer::timeout, this, &ThumbnailScheduler::schedule);

    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, &ThumbnailScheduler::schedule);
    connect(proxy, &QAbstractItemModel::modelReset, this, &ThumbnailScheduler::schedule);
    connect(proxy, &QAbstractItemModel::layoutChanged, this, &ThumbnailScheduler::schedule);
    connect(proxy, &QAbstractItemModel::rowsInserted, this, &ThumbnailScheduler::schedule);
    connect(proxy, &QAbstractItemModel::rowsRemoved, this, &ThumbnailScheduler::schedule);
    connect(service, &ThumbnailService::thumbnailReady, this, &ThumbnailScheduler::onReady);
    connect(service, &ThumbnailService::thumbnailFailed, this,
            [this](const QString &path, int size, const QString &) { onFailed(path, size); });
    view->viewport()->installEventFilter(this);
}

void ThumbnailScheduler::setDisplayEdge(int edge)
{
    m_displayEdge = edge;
    const qreal dpr = m_view ? m_view->devicePixelRatioF() : 1.0;
    const int needed = int(edge * dpr);
    int size = kMaxThumbnailSize;
    for (const auto &flavor : kThumbnailFlavors) {
        if (flavor.size >= needed) {
            size = flavor.size;
            break;
        }
    }
    m_requestSize = size;
    // Pixmaps are scaled for the old tile size: fetch again (the disk cache answers quickly) and
    // let the delegate stretch the old ones meanwhile.
    m_loadedSize.clear();
    schedule();
}

void ThumbnailScheduler::reset()
{
    m_service->cancelAll();
    m_loadedSize.clear();
    m_failed.clear();
    m_firstScreen.clear();
    m_firstScreenPending = true;
    schedule();
}

void ThumbnailScheduler::schedule()
{
    if (!m_timer.isActive())
        m_timer.start();
}

bool ThumbnailScheduler::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize || event->type() == QEvent::Show)
        schedule();
    return QObject::eventFilter(watched, event);
}

int ThumbnailScheduler::firstScreenRemaining() const
{
    return int(m_firstScreen.size());
}

// Rows in an icon-mode list are laid out in order, so the first visible one can be found by
// bisection and the rest by walking until a tile starts below the viewport: no full pass over
// thousands of rows on every scroll step.
QList<int> ThumbnailScheduler::visibleRows(int *lastVisible) const
{
    QList<int> rows;
    *lastVisible = -1;
    const int count = m_proxy->rowCount();
    if (!m_view || count == 0)
        return rows;
    const QRect viewport = m_view->viewport()->rect();
    int lo = 0, hi = count - 1;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (m_view->visualRect(m_proxy->index(mid, 0)).bottom() < viewport.top())
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int row = lo; row < count; ++row) {
        const QRect r = m_view->visualRect(m_proxy->index(row, 0));
        if (r.top() > viewport.bottom())
            break;
        if (r.intersects(viewport)) {
            rows << row;
            *lastVisible = row;
        }
    }
    return rows;
}

void ThumbnailScheduler::update()
{
    if (!m_view)
        return;
    int last = -1;
    const QList<int> rows = visibleRows(&last);
    if (rows.isEmpty() && m_proxy->rowCount() > 0 && m_view->isVisible()) {
        // The batched layout has not placed the tiles yet; look again shortly.
        m_timer.start(30);
        return;
    }
    m_timer.setInterval(15);
    QSet<QString> wanted;
    const auto want = [&](int row, ThumbnailService::Priority priority) {
        const QString path = m_proxy->index(row, 0).data(MediaGridModel::PathRole).toString();
        wanted.insert(path);
        if (m_failed.contains(path) || m_loadedSize.value(path) >= m_requestSize)
            return false;
        m_service->request(path, m_requestSize, priority);
        return true;
    };
    int missing = 0;
    for (int row : rows) {
        const bool requested = want(row, ThumbnailService::Priority::Visible);
        missing += requested ? 1 : 0;
        if (requested && m_firstScreenPending)
            m_firstScreen.insert(m_proxy->index(row, 0).data(MediaGridModel::PathRole).toString());
    }
    if (missing > 0)
        m_settle.start();
    else
        m_settle.stop();
    if (m_firstScreenPending && !rows.isEmpty()) {
        m_firstScreenPending = false;
        if (m_firstScreen.isEmpty())
            emit firstScreenComplete();
    }
    // One screen ahead in the scroll direction people mostly go, half a screen behind.
    const int perScreen = std::max<int>(int(rows.size()), 1);
    const int first = rows.isEmpty() ? 0 : rows.first();
    for (int row = last + 1; row <= std::min(m_proxy->rowCount() - 1, last + perScreen); ++row)
        want(row, ThumbnailService::Priority::Prefetch);
    for (int row = std::max(0, first - perScreen / 2); row < first; ++row)
        want(row, ThumbnailService::Priority::Prefetch);
    m_service->retainOnly(wanted);

    if (m_model->thumbnailCount() > kMaxPixmaps) {
        m_model->dropThumbnailsExcept(wanted);
        for (auto it = m_loadedSize.begin(); it != m_loadedSize.end();) {
            if (wanted.contains(it.key()))
                ++it;
            else
                it = m_loadedSize.erase(it);
        }
    }
}

void ThumbnailScheduler::onReady(const QString &path, int size, const QImage &image)
{
    if (m_loadedSize.value(path) > size)
        return;
    m_loadedSize.insert(path, size);
    // Scaled once here to the tile's device pixels, so painting is a plain blit: smooth-scaling
    // every tile on every repaint is what makes scrolling stutter.
    const qreal dpr = m_view ? m_view->devicePixelRatioF() : 1.0;
    const int edge = int(m_displayEdge * dpr);
    QImage fitted = image;
    if (image.width() > edge || image.height() > edge)
        fitted = image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QPixmap pixmap = QPixmap::fromImage(fitted);
    pixmap.setDevicePixelRatio(dpr);
    m_model->setThumbnail(path, pixmap);
    if (m_firstScreen.remove(path) && m_firstScreen.isEmpty())
        emit firstScreenComplete();
}

void ThumbnailScheduler::onFailed(const QString &path, int)
{
    m_failed.insert(path);
    m_model->setThumbnailFailed(path);
    if (m_firstScreen.remove(path) && m_firstScreen.isEmpty())
        emit firstScreenComplete();
}

} // namespace mt::app
