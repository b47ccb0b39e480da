#include "metadata/AppleMakerNote.h"

#include <QtEndian>

namespace mt {

namespace {

constexpr char kSignature[] = "Apple iOS";
constexpr qsizetype kIfdOffset = 14; // signature + NUL, 2-byte version, "MM"
constexpr quint16 kAscii = 2;
constexpr quint16 kBurstUuidTag = 0x000b;
constexpr quint16 kContentIdentifierTag = 0x0011;

quint32 bigEndian(QByteArrayView b, qsizetype at, int bytes)
{
    return bytes == 2 ? qFromBigEndian<quint16>(b.data() + at) : qFromBigEndian<quint32>(b.data() + at);
}

} // namespace

AppleMakerNote AppleMakerNote::parse(QByteArrayView b)
{
    AppleMakerNote note;
    if (b.size() < kIfdOffset + 2 || !b.startsWith(QByteArrayView(kSignature)) || b.sliced(12, 2) != "MM")
        return note;
    const quint32 entries = bigEndian(b, kIfdOffset, 2);
    for (quint32 e = 0; e < entries; ++e) {
        const qsizetype at = kIfdOffset + 2 + qsizetype(e) * 12;
        if (at + 12 > b.size())
            break;
        const quint32 tag = bigEndian(b, at, 2), type = bigEndian(b, at + 2, 2), count = bigEndian(b, at + 4, 4);
        if (type != kAscii || (tag != kBurstUuidTag && tag != kContentIdentifierTag) || count == 0 || count > 256)
            continue;
        // Up to 4 bytes sit in the entry itself; longer strings at an offset into the MakerNote.
        const qsizetype start = count <= 4 ? at + 8 : qsizetype(bigEndian(b, at + 8, 4));
        if (start < 0 || start + qsizetype(count) > b.size())
            continue;
        QByteArrayView text = b.sliced(start, count);
        if (const qsizetype nul = text.indexOf('\0'); nul >= 0)
            text = text.first(nul);
        (tag == kBurstUuidTag ? note.burstUuid : note.contentIdentifier) = QString::fromLatin1(text).trimmed();
    }
    return note;
}

} // namespace mt
