#include "MediaFilterProxy.h"

#include "MediaGridModel.h"
#include "common/NaturalSort.h"

#include <QDateTime>

namespace mt::app {

MediaFilterProxy::MediaFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    // Verdict changes must re-filter ("Unreviewed" empties as the person works through it), but
    // thumbnails and durations arriving must not: Qt re-checks a changed row only when the
    // change names the filter or sort role.
    setDynamicSortFilter(true);
    setFilterRole(MediaGridModel::VerdictRole);
    setSortRole(MediaGridModel::SizeRole);
}

void MediaFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_media = qobject_cast<MediaGridModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void MediaFilterProxy::setSortKey(SortKey key, Qt::SortOrder order)
{
    m_sortKey = key;
    invalidate();
    sort(0, order);
}

void MediaFilterProxy::setVerdictFilter(VerdictFilter filter)
{
    if (filter == m_filter)
        return;
    const bool resort = filter == VerdictFilter::Similar || m_filter == VerdictFilter::Similar;
    m_filter = filter;
    if (resort)
        invalidate(); // the similar view orders by group
    else
        invalidateFilter();
}

bool MediaFilterProxy::matches(const QModelIndex &index, VerdictFilter filter)
{
    const int verdict = index.data(MediaGridModel::VerdictRole).toInt();
    const bool hasError = !index.data(MediaGridModel::ErrorRole).toString().isEmpty();
    switch (filter) {
    case VerdictFilter::All:
        return true;
    case VerdictFilter::Keep:
        return verdict == int(VerdictKind::Keep);
    case VerdictFilter::Discard:
        return verdict == int(VerdictKind::Discard);
    case VerdictFilter::Similar:
        return !index.data(MediaGridModel::SimilarGroupRole).toString().isEmpty();
    case VerdictFilter::Errors:
        return hasError;
    case VerdictFilter::Unreviewed:
        return !index.data(MediaGridModel::OverriddenRole).toBool();
    }
    return true;
}

bool MediaFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter == VerdictFilter::All)
        return true;
    return matches(sourceModel()->index(sourceRow, 0, sourceParent), m_filter);
}

bool MediaFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Straight from the model's items: sorting thousands through QVariant would stall the GUI.
    if (m_media) {
        const GridEntry &ea = m_media->entries().at(size_t(left.row()));
        const GridEntry &eb = m_media->entries().at(size_t(right.row()));
        const MediaItem &a = ea.item;
        const MediaItem &b = eb.item;
        // Reviewing bursts: members of one group sit together, the suggested best first.
        if (m_filter == VerdictFilter::Similar) {
            const ItemVerdict *va = ea.verdict ? &*ea.verdict : nullptr;
            const ItemVerdict *vb = eb.verdict ? &*eb.verdict : nullptr;
            const int ga = va ? va->similarGroup.toInt() : -1;
            const int gb = vb ? vb->similarGroup.toInt() : -1;
            if (ga != gb)
                return ga < gb;
            const bool ba = va && va->bestOfGroup;
            const bool bb = vb && vb->bestOfGroup;
            if (ba != bb)
                return ba;
        }
        switch (m_sortKey) {
        case SortKey::Name:
            // The model keeps the scanner's natural order.
            return left.row() < right.row();
        case SortKey::Date:
            if (a.modified != b.modified)
                return a.modified < b.modified;
            return left.row() < right.row();
        case SortKey::Size:
            if (a.sizeBytes != b.sizeBytes)
                return a.sizeBytes < b.sizeBytes;
            return left.row() < right.row();
        }
    }
    const QString leftName = left.data(Qt::DisplayRole).toString();
    const QString rightName = right.data(Qt::DisplayRole).toString();
    switch (m_sortKey) {
    case SortKey::Name:
        break;
    case SortKey::Date: {
        const QDateTime a = left.data(MediaGridModel::ModifiedRole).toDateTime();
        const QDateTime b = right.data(MediaGridModel::ModifiedRole).toDateTime();
        if (a != b)
            return a < b;
        break;
    }
    case SortKey::Size: {
        const qint64 a = left.data(MediaGridModel::SizeRole).toLongLong();
        const qint64 b = right.data(MediaGridModel::SizeRole).toLongLong();
        if (a != b)
            return a < b;
        break;
    }
    }
    // Ties (and the name sort) in natural order, so IMG_2 comes before IMG_10 everywhere.
    return naturalLess(leftName, rightName);
}

} // namespace mt::app
