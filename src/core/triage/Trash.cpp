#include "triage/Trash.h"

#include "media/NativePath.h"
#include "platform/SystemTrash.h"
#include "triage/ContentHash.h"


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
    if (!NativePath::status(item.path).exists) {
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
    auto trashed = SystemTrash::platform().moveToTrash(item.path);
    if (!trashed) {
        out.error = tr("not moved to the trash: %1").arg(trashed.error().message);
        return out;
    }
    out.moved = true;
    out.trashPath = *trashed;
    return out;
}

} // namespace mt
