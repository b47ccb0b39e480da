#pragma once

#include <QDialog>
#include <QPixmap>

namespace mt::app {

struct TrashCandidate {
    QString path;
    QString fileName;
    qint64 sizeBytes = 0;
    QPixmap thumbnail;
    QString reason;
};

// "Move N discards to Trash?": every file with its thumbnail and reason, and the total size.
class TrashConfirmDialog : public QDialog
{
    Q_OBJECT

public:
    TrashConfirmDialog(const QList<TrashCandidate> &candidates, QWidget *parent = nullptr);
};

} // namespace mt::app
