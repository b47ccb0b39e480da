#pragma once

#include "MediaFilterProxy.h"

#include <QHash>
#include <QWidget>

class QAbstractButton;
class QButtonGroup;

namespace mt::app {

// All / Keep / Discard / Similar / Errors / Unreviewed, each with its count. Says which filter
// the person wants; the proxy does the filtering.
class FilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit FilterBar(QWidget *parent = nullptr);

    void setCounts(const QHash<VerdictFilter, int> &counts);
    void setCurrent(VerdictFilter filter);
    VerdictFilter current() const;
    int count(VerdictFilter filter) const { return m_counts.value(filter); }
    QAbstractButton *button(VerdictFilter filter) const;

signals:
    void filterRequested(mt::app::VerdictFilter filter);

private:
    QString label(VerdictFilter filter) const;

    QButtonGroup *m_group;
    QHash<VerdictFilter, int> m_counts;
};

} // namespace mt::app
