#include "MediaGridDelegate.h"

#include "MediaGridModel.h"
#include "metadata/MetadataFormatter.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace mt::app {

namespace {
constexpr int kMargin = 6;
constexpr int kBadge = 22;

void drawPill(QPainter *p, const QRect &r, const QColor &bg, const QColor &fg, const QString &text)
{
    QPainterPath path;
    path.addRoundedRect(r, r.height() / 2.0, r.height() / 2.0);
    p->fillPath(path, bg);
    p->setPen(fg);
    p->drawText(r, Qt::AlignCenter, text);
}

QColor groupColour(GroupKind kind)
{
    switch (kind) {
    case GroupKind::Exact: return QColor(0x6d, 0x4c, 0x41);   // brown: copies
    case GroupKind::Edited: return QColor(0x7b, 0x1f, 0xa2);  // purple: an edit and its original
    case GroupKind::Burst: return QColor(0xe6, 0x51, 0x00);   // orange: one moment, many frames
    case GroupKind::Similar: break;
    }
    return QColor(0x15, 0x65, 0xc0);                          // blue: the same scene
}

QString groupGlyph(GroupKind kind)
{
    switch (kind) {
    case GroupKind::Exact: return QStringLiteral("=");
    case GroupKind::Edited: return QStringLiteral("✎");
    case GroupKind::Burst: return QStringLiteral("⧉");
    case GroupKind::Similar: break;
    }
    return QStringLiteral("≈");
}
} // namespace

MediaGridDelegate::MediaGridDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

void MediaGridDelegate::setThumbnailEdge(int edge)
{
    m_edge = edge;
    emit sizeHintChanged(QModelIndex());
}

QSize MediaGridDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const int text = option.fontMetrics.height();
    return {m_edge + 2 * kMargin, m_edge + 3 * kMargin + text};
}

QRect MediaGridDelegate::thumbnailRect(const QRect &tile) const
{
    return {tile.left() + kMargin, tile.top() + kMargin, m_edge, m_edge};
}

QRect MediaGridDelegate::verdictBadgeRect(const QRect &tile) const
{
    const QRect t = thumbnailRect(tile);
    return {t.left() + 4, t.top() + 4, kBadge, kBadge};
}

void MediaGridDelegate::paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setRenderHint(QPainter::SmoothPixmapTransform);

    const QPalette &pal = opt.palette;
    const bool selected = opt.state & QStyle::State_Selected;
    const QRect tile = opt.rect.adjusted(1, 1, -1, -1);

    // Selection and hover follow the system palette, so light and dark themes both work.
    if (selected || (opt.state & QStyle::State_MouseOver)) {
        QColor bg = pal.color(QPalette::Highlight);
        bg.setAlpha(selected ? 110 : 40);
        QPainterPath path;
        path.addRoundedRect(tile, 6, 6);
        p->fillPath(path, bg);
    }
    if (opt.state & QStyle::State_HasFocus) {
        p->setPen(QPen(pal.color(QPalette::Highlight), 1.5));
        p->drawRoundedRect(QRectF(tile).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    }

    const QRect thumbBox = thumbnailRect(opt.rect);
    const QString error = index.data(MediaGridModel::ErrorRole).toString();
    paintThumbnail(p, opt, index, thumbBox, error);

    QFont small = opt.font;
    small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
    small.setBold(true);
    p->setFont(small);
    paintMediaBadges(p, QFontMetrics(small), index, thumbBox);
    paintVerdictBadges(p, opt, index, thumbBox, error);

    // File name, elided in the middle so the number at the end stays readable.
    p->setFont(opt.font);
    p->setPen(pal.color(selected ? QPalette::Text : QPalette::Text));
    const QRect textRect(tile.left() + 2, thumbBox.bottom() + kMargin, tile.width() - 4, opt.fontMetrics.height());
    p->drawText(textRect, Qt::AlignHCenter | Qt::AlignVCenter,
                opt.fontMetrics.elidedText(opt.text, Qt::ElideMiddle, textRect.width()));
    p->restore();
}

void MediaGridDelegate::paintThumbnail(QPainter *p, const QStyleOptionViewItem &opt, const QModelIndex &index,
                                       const QRect &thumbBox, const QString &error) const
{
    const QPalette &pal = opt.palette;
    const QPixmap pix = index.data(MediaGridModel::ThumbnailRole).value<QPixmap>();
    if (!pix.isNull()) {
        const QSizeF logical = pix.deviceIndependentSize();
        QSize fitted = logical.scaled(thumbBox.size(), Qt::KeepAspectRatio).toSize();
        // Never blow a small image up beyond its own pixels.
        if (logical.width() <= thumbBox.width() && logical.height() <= thumbBox.height())
            fitted = logical.toSize();
        QRect target(QPoint(), fitted);
        target.moveCenter(thumbBox.center());
        p->drawPixmap(target, pix);
    } else {
        QColor placeholder = pal.color(QPalette::Mid);
        placeholder.setAlpha(60);
        p->fillRect(thumbBox.adjusted(8, 8, -8, -8), placeholder);
        const bool failed = index.data(MediaGridModel::ThumbnailFailedRole).toBool() || !error.isEmpty();
        p->setPen(pal.color(QPalette::PlaceholderText));
        p->drawText(thumbBox, Qt::AlignCenter | Qt::TextWordWrap,
                    failed ? tr("No preview") : QString());
    }
}

void MediaGridDelegate::paintMediaBadges(QPainter *p, const QFontMetrics &sfm, const QModelIndex &index, const QRect &thumbBox) const
{
    // Video duration, bottom right, like every photo app.
    if (index.data(MediaGridModel::KindRole).toInt() == int(MediaKind::Video)) {
        const QVariant dur = index.data(MediaGridModel::DurationRole);
        const QString text = dur.isValid() ? MetadataFormatter::formatDuration(dur.toDouble()) : tr("Video");
        const int w = sfm.horizontalAdvance(text) + 12;
        const QRect r(thumbBox.right() - w - 4, thumbBox.bottom() - sfm.height() - 6, w, sfm.height() + 4);
        drawPill(p, r, QColor(0, 0, 0, 170), Qt::white, text);
    }
    const bool raw = index.data(MediaGridModel::RawRole).toBool();
    if (raw || index.data(MediaGridModel::HeicRole).toBool()) {
        // A RAW+JPEG pair is one tile: the badge says the RAW is there too.
        const QString text = raw ? QStringLiteral("RAW") : QStringLiteral("HEIC");
        const int w = sfm.horizontalAdvance(text) + 12;
        const QRect r(thumbBox.right() - w - 4, thumbBox.top() + 4, w, sfm.height() + 4);
        drawPill(p, r, QColor(0, 0, 0, 140), Qt::white, text);
    }
}

void MediaGridDelegate::paintVerdictBadges(QPainter *p, const QStyleOptionViewItem &opt, const QModelIndex &index,
                                           const QRect &thumbBox, const QString &error) const
{
    const QPalette &pal = opt.palette;
    const int verdict = index.data(MediaGridModel::VerdictRole).toInt();
    const QRect vb = verdictBadgeRect(opt.rect);
    if (!error.isEmpty()) {
        drawPill(p, vb, QColor(0xd3, 0x2f, 0x2f), Qt::white, QStringLiteral("!"));
    } else if (verdict == int(VerdictKind::Keep) || verdict == int(VerdictKind::Discard)) {
        const bool keep = verdict == int(VerdictKind::Keep);
        const QColor bg = keep ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
        drawPill(p, vb, bg, Qt::white, keep ? QStringLiteral("✓") : QStringLiteral("✕"));
        if (index.data(MediaGridModel::OverriddenRole).toBool()) {
            // A ring marks the person's own decision, as opposed to the engine's.
            p->setPen(QPen(pal.color(QPalette::Base), 2));
            p->setBrush(Qt::NoBrush);
            p->drawEllipse(QRectF(vb).adjusted(-2, -2, 2, 2));
        }
        if (!keep) {
            // Discards are dimmed so the keepers stand out while reviewing.
            QColor veil = pal.color(QPalette::Base);
            veil.setAlpha(90);
            p->fillRect(thumbBox, veil);
        }
    }
    if (!index.data(MediaGridModel::SimilarGroupRole).toString().isEmpty()) {
        // A stack badge whose colour says the kind: a person tells copies (safe to drop) from
        // edits and bursts (worth a look) at a glance.
        const bool best = index.data(MediaGridModel::BestOfGroupRole).toBool();
        const auto kind = groupKindFromName(index.data(MediaGridModel::GroupKindRole).toString()).value_or(GroupKind::Similar);
        const QRect r(vb.right() + 4, vb.top(), kBadge, kBadge);
        drawPill(p, r, groupColour(kind), Qt::white, best ? QStringLiteral("★") : groupGlyph(kind));
    }
}

bool MediaGridDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                                    const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        auto *me = static_cast<QMouseEvent *>(event);
        if (me->button() == Qt::LeftButton && index.data(MediaGridModel::VerdictRole).toInt() >= 0
            && verdictBadgeRect(option.rect).contains(me->position().toPoint())) {
            emit verdictToggleRequested(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace mt::app
