#include "metadata/IsoBoxes.h"

#include <QtEndian>

namespace mt {

std::vector<IsoBox> isoBoxChildren(QByteArrayView data)
{
    std::vector<IsoBox> boxes;
    qsizetype at = 0;
    while (at + 8 <= data.size()) {
        quint64 size = qFromBigEndian<quint32>(data.data() + at);
        qsizetype header = 8;
        if (size == 1) {
            if (at + 16 > data.size())
                break;
            size = qFromBigEndian<quint64>(data.data() + at + 8);
            header = 16;
        } else if (size == 0) {
            size = quint64(data.size() - at);
        }
        if (size < quint64(header) || size > quint64(data.size() - at))
            break;
        boxes.push_back({data.sliced(at + 4, 4), data.sliced(at + header, qsizetype(size) - header)});
        at += qsizetype(size);
    }
    return boxes;
}

std::optional<IsoBox> findIsoBox(const std::vector<IsoBox> &boxes, const char *type)
{
    for (const IsoBox &b : boxes)
        if (b.type == QByteArrayView(type, 4))
            return b;
    return std::nullopt;
}

} // namespace mt
