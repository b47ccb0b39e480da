#pragma once

#include <QStyledItemDelegate>

namespace mt::app {

// Paints one tile: thumbnail, file name, badges (video duration, HEIC, verdict, error, similar
// group). It decides nothing: a click on the verdict badge only says the user wants to change it.
class MediaGridDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit MediaGridDelegate(QObject *parent = nullptr);

    void setThumbnailEdge(int edge); // logical pixels of the square the thumbnail is fitted in
    int thumbnailEdge() const { return m_edge; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

signals:
    void verdictToggleRequested(const QModelIndex &index);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    QRect thumbnailRect(const QRect &tile) const;
    QRect verdictBadgeRect(const QRect &tile) const;
    void paintThumbnail(QPainter *p, const QStyleOptionViewItem &opt, const QModelIndex &index, const QRect &thumbBox,
                        const QString &error) const;
    // Video duration and HEIC, on the thumbnail's right edge.
    void paintMediaBadges(QPainter *p, const QFontMetrics &metrics, const QModelIndex &index, const QRect &thumbBox) const;
    // Keep / discard / error and the similar-group mark, top left; discards are dimmed.
    void paintVerdictBadges(QPainter *p, const QStyleOptionViewItem &opt, const QModelIndex &index, const QRect &thumbBox,
                            const QString &error) const;

    int m_edge = 160;
};

} // namespace mt::app
