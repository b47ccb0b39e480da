#pragma once

#include <QSortFilterProxyModel>

namespace mt::app {

class MediaGridModel;

enum class SortKey { Name, Date, Size };
enum class VerdictFilter { All, Keep, Discard, Similar, Errors, Unreviewed };

// Sorting and the review filter for the grid, on top of MediaGridModel, so the model stays a plain
// list and the views never reorder anything themselves.
class MediaFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit MediaFilterProxy(QObject *parent = nullptr);
    void setSourceModel(QAbstractItemModel *model) override;

    void setSortKey(SortKey key, Qt::SortOrder order = Qt::AscendingOrder);
    SortKey sortKey() const { return m_sortKey; }
    void setVerdictFilter(VerdictFilter filter);
    VerdictFilter verdictFilter() const { return m_filter; }

    // How many source rows match `filter`, independent of the current one (for the filter bar).
    static bool matches(const QModelIndex &sourceIndex, VerdictFilter filter);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    SortKey m_sortKey = SortKey::Name;
    VerdictFilter m_filter = VerdictFilter::All;
    MediaGridModel *m_media = nullptr;
};

} // namespace mt::app
