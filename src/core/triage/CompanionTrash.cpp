#include "triage/CompanionTrash.h"

#include "triage/ContentHash.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace mt {

std::vector<TrashOutcome> moveCompanionsToTrash(const TriageItemResult &leader, const QStringList &companions)
{
    std::vector<TrashOutcome> outcomes;
    for (const QString &path : companions) {
        TriageItemResult companion = leader;
        companion.path = path;
        companion.reason = QCoreApplication::translate("CompanionTrash", "RAW of %1: %2")
                               .arg(QFileInfo(leader.path).fileName(), leader.reason);
        const auto hash = contentHash(path);
        companion.contentHash = hash ? *hash : QString();
        outcomes.push_back(DiscardMover::moveToTrash(companion));
    }
    return outcomes;
}

} // namespace mt
