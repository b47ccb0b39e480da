#include "media/RawCompanions.h"

#include "media/LivePhotoPairing.h"
#include "media/MediaType.h"

#include <QHash>

#include <algorithm>

namespace mt {

namespace {

bool isRawItem(const MediaItem &item) { return item.ok() && isRawMime(item.mime); }

bool canLead(const MediaItem &item) { return item.ok() && item.kind == MediaKind::Photo && !isRawMime(item.mime); }

} // namespace

void mergeRawCompanions(std::vector<MediaItem> &items)
{
    // Same folder and base name is what pairs a still with its clip, too.
    QHash<QString, size_t> leaders;
    for (size_t i = 0; i < items.size(); ++i)
        if (canLead(items[i]) && !leaders.contains(livePhotoKey(items[i].path)))
            leaders.insert(livePhotoKey(items[i].path), i);
    std::vector<bool> absorbed(items.size(), false);
    for (size_t i = 0; i < items.size(); ++i) {
        if (!isRawItem(items[i]))
            continue;
        const auto leader = leaders.constFind(livePhotoKey(items[i].path));
        if (leader == leaders.cend())
            continue;
        MediaItem &keeper = items[*leader];
        if (!keeper.companions.contains(items[i].path))
            keeper.companions << items[i].path;
        absorbed[i] = true;
    }
    size_t next = 0;
    for (size_t i = 0; i < items.size(); ++i)
        if (!absorbed[i])
            items[next++] = std::move(items[i]);
    items.resize(next);
}

bool hasRaw(const MediaItem &item)
{
    return isRawMime(item.mime) || std::any_of(item.companions.cbegin(), item.companions.cend(), [](const QString &path) {
               const auto type = mediaTypeForExtension(path);
               return type && isRawMime(type->mime);
           });
}

} // namespace mt
