#include "FilterBar.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QToolButton>

namespace mt::app {

namespace {
constexpr VerdictFilter kFilters[] = {VerdictFilter::All,     VerdictFilter::Keep,   VerdictFilter::Discard,
                                      VerdictFilter::Similar, VerdictFilter::Errors, VerdictFilter::Unreviewed};
}

FilterBar::FilterBar(QWidget *parent) : QWidget(parent), m_group(new QButtonGroup(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    m_group->setExclusive(true);
    for (VerdictFilter filter : kFilters) {
        auto *b = new QToolButton(this);
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_group->addButton(b, int(filter));
        layout->addWidget(b);
    }
    layout->addStretch(1);
    m_group->button(int(VerdictFilter::All))->setChecked(true);
    setCounts({});
    connect(m_group, &QButtonGroup::idClicked, this, [this](int id) { emit filterRequested(VerdictFilter(id)); });
    setAccessibleName(tr("Review filter"));
}

QString FilterBar::label(VerdictFilter filter) const
{
    switch (filter) {
    case VerdictFilter::All: return tr("All");
    case VerdictFilter::Keep: return tr("Keep");
    case VerdictFilter::Discard: return tr("Discard");
    case VerdictFilter::Similar: return tr("Similar");
    case VerdictFilter::Errors: return tr("Errors");
    case VerdictFilter::Unreviewed: return tr("Unreviewed");
    }
    return {};
}

void FilterBar::setCounts(const QHash<VerdictFilter, int> &counts)
{
    m_counts = counts;
    for (VerdictFilter filter : kFilters) {
        QAbstractButton *b = m_group->button(int(filter));
        const QString text = tr("%1 (%2)").arg(label(filter)).arg(counts.value(filter));
        b->setText(text);
        b->setAccessibleName(text);
    }
}

void FilterBar::setCurrent(VerdictFilter filter)
{
    m_group->button(int(filter))->setChecked(true);
}

VerdictFilter FilterBar::current() const
{
    return VerdictFilter(m_group->checkedId());
}

QAbstractButton *FilterBar::button(VerdictFilter filter) const
{
    return m_group->button(int(filter));
}

} // namespace mt::app
