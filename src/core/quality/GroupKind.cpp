#include "quality/GroupKind.h"

namespace mt {

QString groupKindName(GroupKind kind)
{
    switch (kind) {
    case GroupKind::Exact: return QStringLiteral("exact");
    case GroupKind::Edited: return QStringLiteral("edited");
    case GroupKind::Burst: return QStringLiteral("burst");
    case GroupKind::Similar: return QStringLiteral("similar");
    }
    return {};
}

std::optional<GroupKind> groupKindFromName(const QString &name)
{
    for (GroupKind kind : {GroupKind::Exact, GroupKind::Edited, GroupKind::Burst, GroupKind::Similar})
        if (groupKindName(kind) == name)
            return kind;
    return std::nullopt;
}

} // namespace mt
