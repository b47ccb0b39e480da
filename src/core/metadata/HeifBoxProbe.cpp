#include "metadata/HeifBoxProbe.h"

#include "metadata/IsoBoxes.h"

namespace mt {

namespace {

quint32 readUInt(QByteArrayView d, qsizetype at, int bytes)
{
    quint32 v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | quint8(d[at + i]);
    return v;
}

} // namespace

std::optional<QSize> probeHeifPrimarySize(QByteArrayView file)
{
    const auto top = isoBoxChildren(file);
    const auto meta = findIsoBox(top, "meta");
    if (!meta || meta->payload.size() < 4)
        return std::nullopt;
    const auto metaChildren = isoBoxChildren(meta->payload.sliced(4)); // full box: skip version/flags
    const auto pitm = findIsoBox(metaChildren, "pitm");
    const auto iprp = findIsoBox(metaChildren, "iprp");
    if (!pitm || !iprp || pitm->payload.size() < 6)
        return std::nullopt;
    const bool pitmV0 = pitm->payload[0] == 0;
    if (!pitmV0 && pitm->payload.size() < 8) // version 1 carries a 4-byte item id
        return std::nullopt;
    const quint32 primary = readUInt(pitm->payload, 4, pitmV0 ? 2 : 4);

    const auto iprpChildren = isoBoxChildren(iprp->payload);
    const auto ipco = findIsoBox(iprpChildren, "ipco");
    const auto ipma = findIsoBox(iprpChildren, "ipma");
    if (!ipco || !ipma || ipma->payload.size() < 8)
        return std::nullopt;
    const auto properties = isoBoxChildren(ipco->payload);

    const QByteArrayView m = ipma->payload;
    const quint8 version = quint8(m[0]);
    const bool wideIndex = (quint8(m[3]) & 1) != 0;
    const int idBytes = version < 1 ? 2 : 4;
    const quint32 entries = readUInt(m, 4, 4);
    qsizetype at = 8;
    std::optional<QSize> size;
    int quarterTurns = 0;
    for (quint32 e = 0; e < entries; ++e) {
        if (at + idBytes + 1 > m.size())
            return std::nullopt;
        const quint32 item = readUInt(m, at, idBytes);
        const int count = quint8(m[at + idBytes]);
        at += idBytes + 1;
        for (int a = 0; a < count; ++a) {
            if (at + (wideIndex ? 2 : 1) > m.size())
                return std::nullopt;
            const quint32 index = wideIndex ? readUInt(m, at, 2) & 0x7FFF : quint32(quint8(m[at])) & 0x7F;
            at += wideIndex ? 2 : 1;
            if (item != primary || index == 0 || index > properties.size())
                continue;
            const IsoBox &prop = properties[index - 1];
            if (prop.type == "ispe" && prop.payload.size() >= 12)
                size = QSize(int(readUInt(prop.payload, 4, 4)), int(readUInt(prop.payload, 8, 4)));
            else if (prop.type == "irot" && prop.payload.size() >= 1)
                quarterTurns = quint8(prop.payload[0]) & 3;
        }
    }
    if (!size || size->isEmpty())
        return std::nullopt;
    return quarterTurns % 2 ? size->transposed() : *size;
}

} // namespace mt
