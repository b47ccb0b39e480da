#include "MediaGridModel.h"

#include "common/NaturalSort.h"
#include "media/RawCompanions.h"

#include <QMimeData>
#include <QUrl>

#include <algorithm>

namespace mt::app {

MediaGridModel::MediaGridModel(QObject *parent) : QAbstractListModel(parent) {}

int MediaGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant MediaGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_entries.size()))
        return {};
    const GridEntry &e = m_entries[size_t(index.row())];
    const MediaItem &it = e.item;
    const ItemVerdict *v = e.verdict ? &*e.verdict : nullptr;
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
    case DurationRole:
        return e.duration ? QVariant(*e.duration) : QVariant();
    case ThumbnailRole:
        return e.thumbnail.isNull() ? QVariant() : QVariant(e.thumbnail);
    case ThumbnailFailedRole:
        return e.thumbnailFailed;
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
    case GroupKindRole:
        return v && !v->similarGroup.isEmpty() ? groupKindName(v->groupKind) : QString();
    case RawRole:
        return hasRaw(it);
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
    m_entries.clear();
    m_entries.reserve(items.size());
    for (MediaItem &item : items)
        m_entries.push_back(GridEntry{std::move(item), {}, false, {}, {}});
    reindex();
    endResetModel();
    emit verdictsChanged();
}

std::vector<MediaItem> MediaGridModel::items() const
{
    std::vector<MediaItem> items;
    items.reserve(m_entries.size());
    for (const GridEntry &e : m_entries)
        items.push_back(e.item);
    return items;
}

QModelIndex MediaGridModel::indexOf(const QString &path) const
{
    const int row = rowOf(path);
    return row < 0 ? QModelIndex() : index(row);
}

GridEntry *MediaGridModel::entry(const QString &path)
{
    const int row = rowOf(path);
    return row < 0 ? nullptr : &m_entries[size_t(row)];
}

void MediaGridModel::setThumbnail(const QString &path, const QPixmap &pixmap)
{
    GridEntry *e = entry(path);
    if (!e)
        return;
    e->thumbnail = pixmap;
    e->thumbnailFailed = false;
    emitRowChanged(rowOf(path), {ThumbnailRole});
}

void MediaGridModel::setThumbnailFailed(const QString &path)
{
    GridEntry *e = entry(path);
    if (!e)
        return;
    e->thumbnailFailed = true;
    emitRowChanged(rowOf(path), {ThumbnailFailedRole});
}

bool MediaGridModel::hasThumbnail(const QString &path) const
{
    const int row = rowOf(path);
    return row >= 0 && !m_entries[size_t(row)].thumbnail.isNull();
}

int MediaGridModel::thumbnailCount() const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(), [](const GridEntry &e) { return !e.thumbnail.isNull(); }));
}

void MediaGridModel::clearThumbnails()
{
    for (GridEntry &e : m_entries) {
        e.thumbnail = QPixmap();
        e.thumbnailFailed = false;
    }
    if (!m_entries.empty())
        emit dataChanged(index(0), index(int(m_entries.size()) - 1), {ThumbnailRole, ThumbnailFailedRole});
}

void MediaGridModel::dropThumbnailsExcept(const QSet<QString> &keep)
{
    for (GridEntry &e : m_entries) {
        if (!e.thumbnail.isNull() && !keep.contains(e.item.path))
            e.thumbnail = QPixmap();
    }
}

void MediaGridModel::setDuration(const QString &path, double seconds)
{
    GridEntry *e = entry(path);
    if (!e)
        return;
    e->duration = seconds;
    emitRowChanged(rowOf(path), {DurationRole});
}

void MediaGridModel::setVerdict(const QString &path, const ItemVerdict &verdict)
{
    GridEntry *e = entry(path);
    if (!e)
        return;
    ItemVerdict v = verdict;
    // A fresh engine answer never erases what the person decided.
    if (e->verdict && !v.overrideKeep)
        v.overrideKeep = e->verdict->overrideKeep;
    e->verdict = std::move(v);
    emitRowChanged(rowOf(path), {VerdictRole, ReasonRole, ErrorRole, OverriddenRole, SimilarGroupRole, BestOfGroupRole, GroupKindRole});
    emit verdictsChanged();
}

void MediaGridModel::setOverride(const QString &path, std::optional<bool> keep)
{
    GridEntry *e = entry(path);
    if (!e)
        return;
    if (!e->verdict) {
        if (!keep)
            return;
        ItemVerdict v;
        v.kind = *keep ? VerdictKind::Keep : VerdictKind::Discard;
        v.reason = tr("decided by you");
        e->verdict = std::move(v);
    }
    e->verdict->overrideKeep = keep;
    emitRowChanged(rowOf(path), {VerdictRole, OverriddenRole, ErrorRole});
    emit verdictsChanged();
}

const ItemVerdict *MediaGridModel::verdict(const QString &path) const
{
    const int row = rowOf(path);
    if (row < 0)
        return nullptr;
    const GridEntry &e = m_entries[size_t(row)];
    return e.verdict ? &*e.verdict : nullptr;
}

void MediaGridModel::clearVerdicts()
{
    for (GridEntry &e : m_entries)
        e.verdict.reset();
    if (!m_entries.empty())
        emit dataChanged(index(0), index(int(m_entries.size()) - 1));
    emit verdictsChanged();
}

void MediaGridModel::removePaths(const QStringList &paths)
{
    for (const QString &path : paths) {
        const int row = rowOf(path);
        if (row < 0)
            continue;
        beginRemoveRows({}, row, row);
        m_entries.erase(m_entries.begin() + row);
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
        const auto pos = std::lower_bound(m_entries.begin(), m_entries.end(), it, [](const GridEntry &a, const MediaItem &b) {
            return naturalLess(a.item.fileName, b.fileName);
        });
        const int row = int(pos - m_entries.begin());
        beginInsertRows({}, row, row);
        m_entries.insert(pos, GridEntry{it, {}, false, {}, {}});
        reindex();
        endInsertRows();
    }
    emit verdictsChanged();
}

void MediaGridModel::reindex()
{
    m_rowByPath.clear();
    m_rowByPath.reserve(qsizetype(m_entries.size()));
    for (size_t i = 0; i < m_entries.size(); ++i)
        m_rowByPath.insert(m_entries[i].item.path, int(i));
}

void MediaGridModel::emitRowChanged(int row, const QList<int> &roles)
{
    if (row >= 0)
        emit dataChanged(index(row), index(row), roles);
}

} // namespace mt::app
