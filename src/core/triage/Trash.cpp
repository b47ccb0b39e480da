#include "triage/Trash.h"

#include "triage/ContentHash.h"

#include <QFile>
#include <QFileInfo>

namespace mt {

std::vector<const TriageItemResult *> DiscardMover::discards(const std::vector<TriageItemResult> &items)
{
    std::vector<const TriageItemResult *> out;
    for (const TriageItemResult &r : items)
        if (r.verdict == VerdictKind::Discard)
            out.push_back(&r);
    return out;
}

TrashOutcome DiscardMover::moveToTrash(const TriageItemResult &item)
{
    TrashOutcome out{item.path, false, {}, {}};
    if (!QFileInfo::exists(item.path)) {
        out.error = tr("not moved: the file is gone");
        return out;
    }
    auto hash = contentHash(item.path);
    if (!hash) {
        out.error = tr("not moved: %1").arg(hash.error().message);
        return out;
    }
    if (item.contentHash.isEmpty() || *hash != item.contentHash) {
        out.error = tr("not moved: the file changed since it was judged");
        return out;
    }
    QFile file(item.path);
    if (!file.moveToTrash()) {
        out.error = tr("not moved to the trash: %1").arg(file.errorString());
        return out;
    }
    out.moved = true;
    out.trashPath = file.fileName();
    return out;
}

} // namespace mt
