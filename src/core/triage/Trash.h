#pragma once

#include "triage/Verdict.h"

#include <QCoreApplication>
#include <QString>

#include <vector>

namespace mt {

struct TrashOutcome {
    QString path;
    bool moved = false;
    QString trashPath; // where the file went, for an undo journal
    QString error;
};

// Moves the discarded items to the system trash (QFile::moveToTrash; never a delete), refusing any
// file whose content changed since its verdict or that is gone.
class DiscardMover {
    Q_DECLARE_TR_FUNCTIONS(DiscardMover)
public:
    static std::vector<const TriageItemResult *> discards(const std::vector<TriageItemResult> &items);
    static TrashOutcome moveToTrash(const TriageItemResult &item);
};

} // namespace mt
