#include "TrashConfirmDialog.h"

#include "metadata/MetadataFormatter.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace mt::app {

TrashConfirmDialog::TrashConfirmDialog(const QList<TrashCandidate> &candidates, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Move to Trash"));
    qint64 total = 0;
    for (const TrashCandidate &c : candidates)
        total += c.sizeBytes;

    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("<b>Move %n discarded item(s) to the trash?</b>", nullptr, int(candidates.size())), this);
    layout->addWidget(heading);
    layout->addWidget(new QLabel(tr("Total size: %1. You can restore them with Edit › Undo or from the system trash. "
                                    "Files changed since they were judged are left where they are.")
                                     .arg(MetadataFormatter::formatBytes(total)), this));

    auto *list = new QListWidget(this);
    list->setAccessibleName(tr("Files to move to the trash"));
    list->setIconSize(QSize(64, 64));
    list->setSelectionMode(QAbstractItemView::NoSelection);
    for (const TrashCandidate &c : candidates) {
        auto *item = new QListWidgetItem(list);
        item->setText(tr("%1 — %2\n%3").arg(c.fileName, MetadataFormatter::formatBytes(c.sizeBytes), c.reason));
        item->setToolTip(c.path);
        if (!c.thumbnail.isNull())
            item->setIcon(QIcon(c.thumbnail));
    }
    layout->addWidget(list, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *move = buttons->addButton(tr("Move to Trash"), QDialogButtonBox::AcceptRole);
    move->setObjectName(QStringLiteral("moveButton"));
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true); // a stray Enter never deletes anything
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(520, 460);
}

} // namespace mt::app
