#include "ImageViewer.h"

#include <QKeyEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace mt::app {

ImageViewer::ImageViewer(QWidget *parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Photo"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);
}

void ImageViewer::setImage(const QImage &image)
{
    m_image = image;
    m_message.clear();
    m_fit = true;
    update();
}

void ImageViewer::setMessage(const QString &message)
{
    m_message = message;
    m_image = QImage();
    update();
}

double ImageViewer::fitScale() const
{
    if (m_image.isNull())
        return 1.0;
    const QSizeF logical = QSizeF(m_image.size()) / m_image.devicePixelRatio();
    const double s = std::min(width() / logical.width(), height() / logical.height());
    return std::min(s, 1.0); // a small photo is shown at its size, not blown up
}

double ImageViewer::zoom() const
{
    return m_fit ? fitScale() : m_scale;
}

QRectF ImageViewer::imageRect() const
{
    const QSizeF logical = QSizeF(m_image.size()) / m_image.devicePixelRatio() * zoom();
    if (m_fit)
        return QRectF(QPointF((width() - logical.width()) / 2, (height() - logical.height()) / 2), logical);
    return QRectF(m_offset, logical);
}

void ImageViewer::clampOffset()
{
    const QSizeF s = QSizeF(m_image.size()) / m_image.devicePixelRatio() * m_scale;
    // Centre along an axis that fits; otherwise keep the picture covering the window.
    m_offset.setX(s.width() <= width() ? (width() - s.width()) / 2 : std::clamp(m_offset.x(), width() - s.width(), 0.0));
    m_offset.setY(s.height() <= height() ? (height() - s.height()) / 2 : std::clamp(m_offset.y(), height() - s.height(), 0.0));
}

void ImageViewer::zoomBy(double factor, QPointF anchor)
{
    if (m_image.isNull())
        return;
    const QRectF before = imageRect();
    const double oldScale = zoom();
    const double newScale = std::clamp(oldScale * factor, 0.02, 16.0);
    const QPointF imagePoint = (anchor - before.topLeft()) / oldScale;
    m_fit = false;
    m_scale = newScale;
    m_offset = anchor - imagePoint * newScale;
    clampOffset();
    update();
    notifyView();
}

void ImageViewer::fitToWindow()
{
    m_fit = true;
    update();
    notifyView();
}

void ImageViewer::notifyView()
{
    if (m_image.isNull())
        return;
    const QRectF r = imageRect();
    const QPointF centre((width() / 2.0 - r.left()) / r.width(), (height() / 2.0 - r.top()) / r.height());
    emit viewChanged(m_fit, zoom(), centre);
}

void ImageViewer::setView(bool fit, double scale, QPointF centre)
{
    if (m_image.isNull())
        return;
    m_fit = fit;
    if (!fit) {
        // Same zoom relative to each picture's own size, so different resolutions line up.
        m_scale = scale;
        const QSizeF s = QSizeF(m_image.size()) / m_image.devicePixelRatio() * m_scale;
        m_offset = QPointF(width() / 2.0 - centre.x() * s.width(), height() / 2.0 - centre.y() * s.height());
        clampOffset();
    }
    update();
}

void ImageViewer::actualSize()
{
    if (m_image.isNull())
        return;
    zoomBy(1.0 / zoom(), rect().center());
}

void ImageViewer::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    if (m_image.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, zoom() < 2.0);
    p.drawImage(imageRect(), m_image);
}

void ImageViewer::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.25, steps), event->position());
    event->accept();
}

void ImageViewer::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && !m_fit) {
        m_dragging = true;
        m_dragStart = event->position().toPoint();
        m_offsetAtDrag = m_offset;
        setCursor(Qt::ClosedHandCursor);
    }
}

void ImageViewer::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    m_offset = m_offsetAtDrag + (event->position().toPoint() - m_dragStart);
    clampOffset();
    update();
    notifyView();
}

void ImageViewer::mouseReleaseEvent(QMouseEvent *)
{
    m_dragging = false;
    unsetCursor();
}

void ImageViewer::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_fit)
        zoomBy(1.0 / zoom(), event->position());
    else
        fitToWindow();
}

void ImageViewer::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25, rect().center());
        break;
    case Qt::Key_Minus:
        zoomBy(0.8, rect().center());
        break;
    case Qt::Key_0:
        fitToWindow();
        break;
    case Qt::Key_1:
        actualSize();
        break;
    default:
        QWidget::keyPressEvent(event);
    }
}

} // namespace mt::app
