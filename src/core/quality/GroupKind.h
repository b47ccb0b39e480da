#pragma once

#include <QString>

#include <optional>

namespace mt {

// What ties the members of a group together; each kind has its own keeper rule (MediaGrouper).
enum class GroupKind {
    Exact,   // the same picture: byte-identical, or the same pixels re-encoded, resized or stripped
    Edited,  // an edit and its original (IMG_E4120 + IMG_4120, "-edited")
    Burst,   // shot within about a second (sub-second times, Apple BurstUUID, burst file names)
    Similar, // the same scene, minutes apart
};

QString groupKindName(GroupKind kind); // "exact", "edited", "burst", "similar"
std::optional<GroupKind> groupKindFromName(const QString &name);

// One item's place in a group, as every front shows and exports it (`group: {id, kind, best}`).
struct ItemGroup {
    int id = -1;
    GroupKind kind = GroupKind::Similar;
    QString keeperPath; // the group's suggested keeper
    bool best = false;  // this item is the keeper
};

} // namespace mt
