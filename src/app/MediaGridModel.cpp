#include "MediaGridModel.h"

#include "common/NaturalSort.h"

#include <QMimeData>
#include <QUrl>

namespace mt::app {

MediaGridModel::MediaGridModel(QObject *parent) : QAbstractListModel(parent) {}

int MediaGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant MediaGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_items.size()))
        return {};
    const MediaItem &it = m_items[size_t(index.row())];
    const ItemVerdict *v = verdict(it.path);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return it.fileName;
    case Qt::ToolTipRole: {
        QString tip = it.fileName;
        if (it.error)
            tip += QLatin1Char('\n') + *it.error;
        if (v && !v->reason.isEmpty())
            tip += QLatin1Char('\n') + v->reason;
        return tip;
    }
    case Qt::AccessibleTextRole:
        return it.fileName;
    case PathRole:
        return it.path;
    case KindRole:
        return int(it.kind);
    case SizeRole:
        return it.sizeBytes;
    case ModifiedRole:
        return it.modified;
    case DurationRole: {
        const auto found = m_durations.constFind(it.path);
        return found == m_durations.cend() ? QVariant() : QVariant(*found);
    }
    case ThumbnailRole: {
        const auto found = m_thumbnails.constFind(it.path);
        return found == m_thumbnails.cend() ? QVariant() : QVariant(*found);
    }
    case ThumbnailFailedRole:
        return m_thumbnailFailed.contains(it.path);
    case ErrorRole:
        if (it.error)
            return *it.error;
        if (v && v->isError())
            return v->reason;
        return {};
    case VerdictRole:
        if (!v)
            return -1;
        if (v->overrideKeep)
            return int(*v->overrideKeep ? VerdictKind::Keep : VerdictKind::Discard);
        return int(v->kind);
    case OverriddenRole:
        return v && v->overrideKeep.has_value();
    case ReasonRole:
        return v ? v->reason : QString();
    case SimilarGroupRole:
        return v ? v->similarGroup : QString();
    case BestOfGroupRole:
        return v && v->bestOfGroup;
    case HeicRole:
        return it.mime == QLatin1String("image/heic") || it.mime == QLatin1String("image/heif")
            || it.fileName.endsWith(QLatin1String(".heic"), Qt::CaseInsensitive);
    default:
        return {};
    }
}

Qt::ItemFlags MediaGridModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

QStringList MediaGridModel::mimeTypes() const
{
    return {QStringLiteral("text/uri-list")};
}

// Dragging tiles out hands the files to other programs (file managers, editors, chat apps).
QMimeData *MediaGridModel::mimeData(const QModelIndexList &indexes) const
{
    QList<QUrl> urls;
    for (const QModelIndex &index : indexes)
        urls << QUrl::fromLocalFile(index.data(PathRole).toString());
    auto *mime = new QMimeData;
    mime->setUrls(urls);
    return mime;
}

void MediaGridModel::setItems(std::vector<MediaItem> items)
{
    beginResetModel();
    m_items = std::move(items);
    m_thumbnails.clear();
    m_thumbnailFailed.clear();
    m_durations.clear();
    m_verdicts.clear();
    reindex();
    endResetModel();
    emit verdictsChanged();
}

QModelIndex MediaGridModel::indexOf(const QString &path) const
{
    const int row = rowOf(path);
    return row < 0 ? QModelIndex() : index(row);
}

void MediaGridModel::setThumbnail(const QString &path, const QPixmap &pixmap)
{
    if (rowOf(path) < 0)
        return;
    m_thumbnails.insert(path, pixmap);
    m_thumbnailFailed.remove(path);
    emitRowChanged(path, {ThumbnailRole});
}

void MediaGridModel::setThumbnailFailed(const QString &path)
{
    if (rowOf(path) < 0)
        return;
    m_thumbnailFailed.insert(path);
    emitRowChanged(path, {ThumbnailFailedRole});
}

void MediaGridModel::clearThumbnails()
{
    m_thumbnails.clear();
    m_thumbnailFailed.clear();
    if (!m_items.empty())
        emit dataChanged(index(0), index(int(m_items.size()) - 1), {ThumbnailRole, ThumbnailFailedRole});
}

void MediaGridModel::dropThumbnailsExcept(const QSet<QString> &keep)
{
    for (auto it = m_thumbnails.begin(); it != m_thumbnails.end();) {
        if (keep.contains(it.key()))
            ++it;
        else
            it = m_thumbnails.erase(it);
    }
}

void MediaGridModel::setDuration(const QString &path, double seconds)
{
    if (rowOf(path) < 0)
        return;
    m_durations.insert(path, seconds);
    emitRowChanged(path, {DurationRole});
}

void MediaGridModel::setVerdict(const QString &path, const ItemVerdict &verdict)
{
    if (rowOf(path) < 0)
        return;
    ItemVerdict v = verdict;
    // A fresh engine answer never erases what the person decided.
    if (const auto old = m_verdicts.constFind(path); old != m_verdicts.cend() && !v.overrideKeep)
        v.overrideKeep = old->overrideKeep;
    m_verdicts.insert(path, v);
    emitRowChanged(path, {VerdictRole, ReasonRole, ErrorRole, OverriddenRole, SimilarGroupRole, BestOfGroupRole});
    emit verdictsChanged();
}

void MediaGridModel::setOverride(const QString &path, std::optional<bool> keep)
{
    if (rowOf(path) < 0)
        return;
    auto found = m_verdicts.find(path);
    if (found == m_verdicts.end()) {
        if (!keep)
            return;
        ItemVerdict v;
        v.kind = *keep ? VerdictKind::Keep : VerdictKind::Discard;
        v.reason = tr("decided by you");
        found = m_verdicts.insert(path, v);
    }
    found->overrideKeep = keep;
    emitRowChanged(path, {VerdictRole, OverriddenRole, ErrorRole});
    emit verdictsChanged();
}

const ItemVerdict *MediaGridModel::verdict(const QString &path) const
{
    const auto found = m_verdicts.constFind(path);
    return found == m_verdicts.cend() ? nullptr : &*found;
}

void MediaGridModel::clearVerdicts()
{
    m_verdicts.clear();
    if (!m_items.empty())
        emit dataChanged(index(0), index(int(m_items.size()) - 1));
    emit verdictsChanged();
}

void MediaGridModel::removePaths(const QStringList &paths)
{
    for (const QString &path : paths) {
        const int row = rowOf(path);
        if (row < 0)
            continue;
        beginRemoveRows({}, row, row);
        m_items.erase(m_items.begin() + row);
        m_thumbnails.remove(path);
        m_thumbnailFailed.remove(path);
        m_durations.remove(path);
        m_verdicts.remove(path);
        reindex();
        endRemoveRows();
    }
    emit verdictsChanged();
}

void MediaGridModel::insertItems(const std::vector<MediaItem> &items)
{
    for (const MediaItem &it : items) {
        if (rowOf(it.path) >= 0)
            continue;
        // Back into its natural-order place: the name sort relies on the model's order.
        const auto pos = std::lower_bound(m_items.begin(), m_items.end(), it, [](const MediaItem &a, const MediaItem &b) {
            return naturalLess(a.fileName, b.fileName);
        });
        const int row = int(pos - m_items.begin());
        beginInsertRows({}, row, row);
        m_items.insert(pos, it);
        reindex();
        endInsertRows();
    }
    emit verdictsChanged();
}

void MediaGridModel::reindex()
{
    m_rowByPath.clear();
    m_rowByPath.reserve(qsizetype(m_items.size()));
    for (size_t i = 0; i < m_items.size(); ++i)
        m_rowByPath.insert(m_items[i].path, int(i));
}

void MediaGridModel::emitRowChanged(const QString &path, const QList<int> &roles)
{
    const QModelIndex idx = indexOf(path);
    if (idx.isValid())
        emit dataChanged(idx, idx, roles);
}

} // namespace mt::app
