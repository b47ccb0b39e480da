#pragma once

#include "triage/Trash.h"

#include <QStringList>

#include <vector>

namespace mt {

// The files that ride along with a discarded item (the RAW of a RAW+JPEG pair) follow it to the
// trash, after it and only once it has moved. They were never judged on their own, so their
// verdict is the leader's and their identity the bytes they have now; each goes through
// DiscardMover like any discard.
std::vector<TrashOutcome> moveCompanionsToTrash(const TriageItemResult &leader, const QStringList &companions);

} // namespace mt
