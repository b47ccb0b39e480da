#pragma once

#include "media/MediaItem.h"
#include "triage/Verdict.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QSet>

#include <optional>
#include <vector>

namespace mt::app {

// What the app knows about one item's verdict: the engine's answer and the person's override.
// The override wins; "reviewed" means the person decided (P/X) rather than the engine.
struct ItemVerdict {
    VerdictKind kind = VerdictKind::Keep;
    QString reason;
    VerdictSource source = VerdictSource::Local;
    QString contentHash;
    std::optional<bool> overrideKeep; // set by P (true) / X (false), cleared by U
    QString similarGroup;             // non-empty when the item belongs to a group (any kind)
    bool bestOfGroup = false;
    GroupKind groupKind = GroupKind::Similar; // what ties the group together
    TriageItemResult result;          // the engine's whole outcome, for the exported report

    bool effectiveKeep() const { return overrideKeep ? *overrideKeep : kind == VerdictKind::Keep; }
    bool isError() const { return !overrideKeep && kind == VerdictKind::Error; }
};

// Everything the grid knows about one item, in one record, so removing or re-inserting a row can
// never leave a thumbnail or verdict behind under a stale path.
struct GridEntry {
    MediaItem item;
    QPixmap thumbnail;
    bool thumbnailFailed = false;
    std::optional<double> duration;
    std::optional<ItemVerdict> verdict;
};

// The folder's items as a flat list for the grid. Holds only per-item state the views need
// (thumbnail, duration, verdict); the heavy work happens elsewhere and is pushed in by path.
class MediaGridModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        PathRole = Qt::UserRole + 1,
        KindRole,          // MediaKind as int
        SizeRole,          // qint64 bytes
        ModifiedRole,      // QDateTime
        DurationRole,      // double seconds, invalid until the metadata is read
        ThumbnailRole,     // QPixmap, invalid until loaded
        ThumbnailFailedRole, // bool
        ErrorRole,         // QString: scan or verdict error
        VerdictRole,       // int: -1 none, else VerdictKind after override
        OverriddenRole,    // bool
        ReasonRole,        // QString
        SimilarGroupRole,  // QString
        BestOfGroupRole,   // bool
        HeicRole,          // bool
        GroupKindRole,     // QString: "exact", "edited", "burst", "similar"; empty outside a group
        RawRole,           // bool: a RAW, or a JPEG carrying its RAW companion
    };

    explicit MediaGridModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;

    void setItems(std::vector<MediaItem> items);
    // A copy, for handing the list on (triage, tests); loops over the model read entries().
    std::vector<MediaItem> items() const;
    const std::vector<GridEntry> &entries() const { return m_entries; }
    const MediaItem &item(int row) const { return m_entries.at(size_t(row)).item; }
    int rowOf(const QString &path) const { return m_rowByPath.value(path, -1); }
    QModelIndex indexOf(const QString &path) const;

    void setThumbnail(const QString &path, const QPixmap &pixmap);
    void setThumbnailFailed(const QString &path);
    bool hasThumbnail(const QString &path) const;
    void clearThumbnails();
    int thumbnailCount() const;
    // Frees the pixmaps of items far from the screen, so scrolling through thousands stays bounded.
    void dropThumbnailsExcept(const QSet<QString> &keep);

    void setDuration(const QString &path, double seconds);

    void setVerdict(const QString &path, const ItemVerdict &verdict);
    void setOverride(const QString &path, std::optional<bool> keep);
    const ItemVerdict *verdict(const QString &path) const;
    void clearVerdicts();
    // Removes items (moved to the trash) and puts them back (undo).
    void removePaths(const QStringList &paths);
    void insertItems(const std::vector<MediaItem> &items);

signals:
    void verdictsChanged();

private:
    GridEntry *entry(const QString &path);
    void reindex();
    void emitRowChanged(int row, const QList<int> &roles);

    std::vector<GridEntry> m_entries;
    QHash<QString, int> m_rowByPath;
};

} // namespace mt::app
