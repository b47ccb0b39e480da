#include "PreviewWindow.h"

#include "ImageViewer.h"
#include "VideoPlayer.h"
#include "media/MappedFile.h"
#include "metadata/MotionPhotoReader.h"
#include "thumbs/ThumbnailGenerator.h"

#include <QCloseEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QScreen>
#include <QHBoxLayout>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace mt::app {

PreviewWindow::PreviewWindow(QWidget *parent)
    : QDialog(parent), m_stack(new QStackedWidget(this)), m_image(new ImageViewer(this)), m_video(new VideoPlayer(this)),
      m_title(new QLabel(this)), m_motion(new QToolButton(this))
{
    setWindowTitle(tr("Preview"));
    setAccessibleName(tr("Preview"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_title->setContentsMargins(8, 4, 8, 4);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    m_motion->setText(tr("Motion"));
    m_motion->setToolTip(tr("Play the video inside this Motion Photo"));
    m_motion->setCheckable(true);
    m_motion->setFocusPolicy(Qt::NoFocus); // the window owns the keyboard
    m_motion->setObjectName(QStringLiteral("playMotion"));
    m_motion->hide();
    connect(m_motion, &QToolButton::toggled, this, &PreviewWindow::showMotion);
    header->addWidget(m_motion);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);
    m_stack->addWidget(m_image);
    m_stack->addWidget(m_video);
    m_pool.setMaxThreadCount(1);
    resize(1000, 720);
}

PreviewWindow::~PreviewWindow()
{
    m_pool.clear();
    m_pool.waitForDone();
}

void PreviewWindow::showItems(std::vector<MediaItem> items, int current)
{
    m_items = std::move(items);
    m_current = m_items.empty() ? -1 : std::clamp(current, 0, int(m_items.size()) - 1);
    showCurrent();
}

const MediaItem *PreviewWindow::currentItem() const
{
    return m_current >= 0 ? &m_items[size_t(m_current)] : nullptr;
}

bool PreviewWindow::isShowingVideo() const
{
    return m_stack->currentWidget() == m_video;
}

void PreviewWindow::showCurrent()
{
    const MediaItem *item = currentItem();
    if (!item)
        return;
    ++m_generation;
    m_motion->blockSignals(true);
    m_motion->setChecked(false);
    m_motion->blockSignals(false);
    m_motion->hide();
    m_motionClip.clear();
    m_title->setText(tr("%1  (%2 of %3)").arg(item->fileName).arg(m_current + 1).arg(m_items.size()));
    setWindowTitle(tr("%1 – Preview").arg(item->fileName));
    if (item->kind == MediaKind::Video && item->ok()) {
        m_image->setImage({});
        m_stack->setCurrentWidget(m_video);
        m_video->setSource(item->path);
    } else {
        m_video->stop();
        m_stack->setCurrentWidget(m_image);
        m_image->setMessage(item->ok() ? tr("Loading…") : *item->error);
        m_image->setFocus();
        if (!item->ok())
            return;
        loadPhoto(*item);
    }
    emit currentChanged(item->path);
}

void PreviewWindow::loadPhoto(const MediaItem &item)
{
    // Decode at screen size: sharper than any thumbnail, far cheaper than full resolution.
    const QScreen *screen = this->screen();
    const qreal dpr = screen ? screen->devicePixelRatio() : 1.0;
    const QSize s = screen ? screen->size() : QSize(1920, 1080);
    const int edge = int(std::max(s.width(), s.height()) * dpr);
    const quint64 generation = m_generation;
    m_pool.start([this, copy = item, edge, generation, dpr] {
        Result<QImage> image = ThumbnailGenerator::generateWithinBudget(copy, edge);
        QMetaObject::invokeMethod(this, [this, image = std::move(image), generation, dpr, path = copy.path]() mutable {
            if (generation != m_generation)
                return;
            if (!image) {
                m_image->setMessage(image.error().message);
                return;
            }
            QImage img = std::move(image).value();
            img.setDevicePixelRatio(dpr);
            m_image->setImage(img);
            emit imageLoaded(path);
        }, Qt::QueuedConnection);
        // Then the Motion Photo's clip, if any: a few MB copied out of the mapped file.
        const auto motion = MotionPhotoReader::read(copy);
        if (!motion || !motion->error.isEmpty())
            return;
        auto mapped = MappedFile::open(copy.path);
        if (!mapped)
            return;
        QByteArray clip = (*mapped)->bytes().sliced(motion->clipOffset, motion->clipLength).toByteArray();
        QMetaObject::invokeMethod(this, [this, clip = std::move(clip), generation]() mutable {
            if (generation != m_generation)
                return;
            m_motionClip = std::move(clip);
            m_motion->show();
        }, Qt::QueuedConnection);
    });
}

void PreviewWindow::showMotion(bool play)
{
    if (play && !m_motionClip.isEmpty()) {
        m_stack->setCurrentWidget(m_video);
        m_video->setSourceBytes(m_motionClip);
    } else {
        m_video->stop();
        m_stack->setCurrentWidget(m_image);
    }
}

void PreviewWindow::step(int delta)
{
    if (m_items.empty())
        return;
    const int next = std::clamp(m_current + delta, 0, int(m_items.size()) - 1);
    if (next == m_current)
        return;
    m_current = next;
    showCurrent();
}

void PreviewWindow::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left:
        step(-1);
        return;
    case Qt::Key_Right:
        step(1);
        return;
    case Qt::Key_Home:
        step(-m_current);
        return;
    case Qt::Key_End:
        step(int(m_items.size()));
        return;
    case Qt::Key_Escape:
    case Qt::Key_Space:
        if (event->key() == Qt::Key_Space && isShowingVideo()) {
            m_video->togglePlay();
            return;
        }
        reject();
        return;
    case Qt::Key_K:
        if (isShowingVideo())
            m_video->togglePlay();
        return;
    default:
        QDialog::keyPressEvent(event);
    }
}

void PreviewWindow::closeEvent(QCloseEvent *event)
{
    m_video->stop();
    QDialog::closeEvent(event);
}

void PreviewWindow::done(int result)
{
    // Stop decoding and playing the moment the window goes away.
    ++m_generation;
    m_video->stop();
    QDialog::done(result);
}

} // namespace mt::app
