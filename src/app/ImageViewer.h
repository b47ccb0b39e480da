#pragma once

#include <QImage>
#include <QWidget>

namespace mt::app {

// Shows one decoded picture: fit to window by default, wheel or +/- zoom around the cursor,
// drag to pan, 0 back to fit, 1 for actual pixels.
class ImageViewer : public QWidget
{
    Q_OBJECT

public:
    explicit ImageViewer(QWidget *parent = nullptr);

    void setImage(const QImage &image);
    void setMessage(const QString &message); // while loading or when decoding failed
    const QImage &image() const { return m_image; }
    bool isFitting() const { return m_fit; }
    double zoom() const; // current scale, image pixels to device pixels
    void zoomBy(double factor, QPointF anchor);
    void fitToWindow();
    void actualSize();
    // For synchronized views (compare): the scale and which point of the picture (as a fraction
    // of its size) is at the window's centre.
    void setView(bool fit, double scale, QPointF centre);

signals:
    void viewChanged(bool fit, double scale, QPointF centre);

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    double fitScale() const;
    QRectF imageRect() const;
    void clampOffset();
    void notifyView();

    QImage m_image;
    QString m_message;
    bool m_fit = true;
    double m_scale = 1.0;  // logical pixels per image pixel when not fitting
    QPointF m_offset;      // image rect's top-left when not fitting
    QPoint m_dragStart;
    QPointF m_offsetAtDrag;
    bool m_dragging = false;
};

} // namespace mt::app
