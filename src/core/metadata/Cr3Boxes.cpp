#include "metadata/Cr3Boxes.h"

#include "metadata/IsoBoxes.h"

#include <algorithm>
#include <optional>

namespace mt {

namespace {

// moov/uuid holding CMT1..4 and THMB; the top-level uuid holding PRVW.
constexpr QByteArrayView kCanonUuid("\x85\xc0\xb6\x87\x82\x0f\x11\xe0\x81\x11\xf4\xce\x46\x2b\x6a\x48", 16);
constexpr QByteArrayView kPreviewUuid("\xea\xf4\x2b\x5e\x1c\x98\x4b\x88\xb9\xfb\xb7\xdc\x40\x6e\x4d\x16", 16);

// The payload of a uuid box of this kind, after its 16-byte identifier.
std::optional<QByteArrayView> uuidPayload(const IsoBox &box, QByteArrayView uuid)
{
    if (box.type != "uuid" || !box.payload.startsWith(uuid))
        return std::nullopt;
    return box.payload.sliced(uuid.size());
}

// THMB and PRVW start with a few fields (size, dimensions) before a complete JPEG stream.
void addJpeg(std::vector<QByteArrayView> &into, const std::optional<IsoBox> &box)
{
    if (!box)
        return;
    const qsizetype soi = box->payload.first(std::min<qsizetype>(box->payload.size(), 32)).indexOf("\xFF\xD8\xFF");
    if (soi >= 0)
        into.push_back(box->payload.sliced(soi));
}

} // namespace

bool Cr3Boxes::isCr3(QByteArrayView file)
{
    return file.size() >= 12 && file.sliced(4, 8) == "ftypcrx ";
}

Cr3Boxes Cr3Boxes::find(QByteArrayView file)
{
    Cr3Boxes found;
    const std::vector<IsoBox> top = isoBoxChildren(file);
    if (const auto moov = findIsoBox(top, "moov")) {
        for (const IsoBox &box : isoBoxChildren(moov->payload)) {
            const auto canon = uuidPayload(box, kCanonUuid);
            if (!canon)
                continue;
            const std::vector<IsoBox> tags = isoBoxChildren(*canon);
            if (const auto cmt1 = findIsoBox(tags, "CMT1"))
                found.cmt1 = cmt1->payload;
            if (const auto cmt2 = findIsoBox(tags, "CMT2"))
                found.cmt2 = cmt2->payload;
            addJpeg(found.previews, findIsoBox(tags, "THMB"));
            break;
        }
    }
    for (const IsoBox &box : top) {
        // The preview uuid: 8 bytes of its own, then the PRVW box.
        if (const auto preview = uuidPayload(box, kPreviewUuid); preview && preview->size() > 8)
            addJpeg(found.previews, findIsoBox(isoBoxChildren(preview->sliced(8)), "PRVW"));
    }
    return found;
}

} // namespace mt
