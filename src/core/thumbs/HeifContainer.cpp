#include "thumbs/HeifContainer.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

Error malformed(const QString &what)
{
    return makeError(Error::Code::Corrupt, tr("the HEIF structure is malformed: %1").arg(what));
}

// meta holds item descriptions only (a few KB on phones, ~100 KB for a 200 MP grid); anything
// far larger is not a real file and must not make us allocate it.
constexpr quint64 kMaxMetaBytes = 32 * 1024 * 1024;

// A bounds-checked big-endian cursor over a box payload: a read past the end fails the cursor
// (and every read after it) instead of touching memory.
class ByteCursor {
public:
    explicit ByteCursor(QByteArrayView data) : m_data(data) {}

    quint64 uint(int bytes)
    {
        if (bytes < 0 || bytes > 8 || !has(bytes)) {
            m_failed = true;
            return 0;
        }
        quint64 v = 0;
        for (int i = 0; i < bytes; ++i)
            v = (v << 8) | quint8(m_data[m_at + i]);
        m_at += bytes;
        return v;
    }
    QByteArrayView bytes(qsizetype n)
    {
        if (n < 0 || !has(n)) {
            m_failed = true;
            return {};
        }
        const QByteArrayView v = m_data.sliced(m_at, n);
        m_at += n;
        return v;
    }
    QByteArrayView rest() const { return m_failed ? QByteArrayView() : m_data.sliced(m_at); }
    bool has(qsizetype n) const { return !m_failed && n <= m_data.size() - m_at; }
    bool failed() const { return m_failed; }
    qsizetype remaining() const { return m_data.size() - m_at; }

private:
    QByteArrayView m_data;
    qsizetype m_at = 0;
    bool m_failed = false;
};

struct Box {
    QByteArray type;
    QByteArrayView payload;
};

// Splits a run of sibling boxes in memory; a header that overruns its parent is an error.
Result<std::vector<Box>> children(QByteArrayView data)
{
    std::vector<Box> boxes;
    ByteCursor c(data);
    while (c.remaining() >= 8) {
        const qsizetype start = data.size() - c.remaining();
        quint64 size = c.uint(4);
        const QByteArray type = c.bytes(4).toByteArray();
        qsizetype header = 8;
        if (size == 1) {
            size = c.uint(8);
            header = 16;
        } else if (size == 0) {
            size = quint64(data.size() - start);
        }
        if (c.failed() || size < quint64(header) || size > quint64(data.size() - start))
            return malformed(tr("box '%1' overruns its container").arg(QString::fromLatin1(type.toHex())));
        boxes.push_back({type, c.bytes(qsizetype(size) - header)});
    }
    return boxes;
}

const Box *find(const std::vector<Box> &boxes, const char *type)
{
    for (const Box &b : boxes)
        if (b.type == type)
            return &b;
    return nullptr;
}

} // namespace

// Parses meta's children into a HeifContainer; one method per box.
class HeifMetaParser {
public:
    explicit HeifMetaParser(HeifContainer &out) : m_out(out) {}

    Status parse(QByteArrayView metaPayload)
    {
        ByteCursor full(metaPayload);
        full.uint(4); // version and flags
        auto boxes = children(full.rest());
        if (!boxes)
            return boxes.error();
        const Box *pitm = find(*boxes, "pitm");
        const Box *iinf = find(*boxes, "iinf");
        const Box *iloc = find(*boxes, "iloc");
        if (full.failed() || !pitm || !iinf || !iloc)
            return malformed(tr("meta lacks pitm, iinf or iloc"));
        if (const Box *idat = find(*boxes, "idat"))
            m_out.m_idat = idat->payload.toByteArray();
        if (Status s = parsePitm(pitm->payload); !s)
            return s;
        if (Status s = parseIinf(iinf->payload); !s)
            return s;
        if (Status s = parseIloc(iloc->payload); !s)
            return s;
        if (const Box *iref = find(*boxes, "iref"))
            if (Status s = parseIref(iref->payload); !s)
                return s;
        if (const Box *iprp = find(*boxes, "iprp"))
            if (Status s = parseIprp(iprp->payload); !s)
                return s;
        if (!m_out.item(m_out.m_primary))
            return malformed(tr("the primary item is not described"));
        return Done{};
    }

private:
    HeifItem *item(quint32 id)
    {
        for (HeifItem &i : m_out.m_items)
            if (i.id == id)
                return &i;
        return nullptr;
    }

    Status parsePitm(QByteArrayView p)
    {
        ByteCursor c(p);
        const quint64 version = c.uint(1);
        c.uint(3);
        m_out.m_primary = quint32(c.uint(version == 0 ? 2 : 4));
        return c.failed() ? Status(malformed(QStringLiteral("pitm"))) : Status(Done{});
    }

    Status parseIinf(QByteArrayView p)
    {
        ByteCursor c(p);
        const quint64 version = c.uint(1);
        c.uint(3);
        c.uint(version == 0 ? 2 : 4); // entry count: the boxes that follow are what counts
        auto entries = children(c.rest());
        if (c.failed() || !entries)
            return malformed(QStringLiteral("iinf"));
        for (const Box &b : *entries) {
            if (b.type != "infe")
                continue;
            ByteCursor e(b.payload);
            const quint64 v = e.uint(1);
            const quint64 flags = e.uint(3);
            if (v < 2)
                continue; // versions 0/1 describe non-image items (no item_type)
            HeifItem i;
            i.id = quint32(e.uint(v == 2 ? 2 : 4));
            e.uint(2); // protection index
            i.type = e.bytes(4).toByteArray();
            i.hidden = flags & 1;
            if (e.failed())
                return malformed(QStringLiteral("infe"));
            if (item(i.id))
                return malformed(tr("item %1 is described twice").arg(i.id));
            m_out.m_items.push_back(std::move(i));
        }
        return Done{};
    }

    Status parseIloc(QByteArrayView p)
    {
        ByteCursor c(p);
        const quint64 version = c.uint(1);
        c.uint(3);
        const quint64 sizes = c.uint(2);
        const int offsetSize = int(sizes >> 12), lengthSize = int((sizes >> 8) & 15);
        const int baseSize = int((sizes >> 4) & 15), indexSize = version >= 1 ? int(sizes & 15) : 0;
        for (int s : {offsetSize, lengthSize, baseSize, indexSize})
            if (s != 0 && s != 4 && s != 8)
                return malformed(tr("iloc field size %1").arg(s));
        if (version > 2)
            return malformed(tr("iloc version %1").arg(version));
        const quint64 count = c.uint(version < 2 ? 2 : 4);
        for (quint64 n = 0; n < count && !c.failed(); ++n) {
            const quint32 id = quint32(c.uint(version < 2 ? 2 : 4));
            const quint64 method = version >= 1 ? c.uint(2) & 15 : 0;
            const quint64 dataRef = c.uint(2);
            const quint64 base = c.uint(baseSize);
            const quint64 extents = c.uint(2);
            HeifItem *target = item(id);
            HeifItem ignored;
            HeifItem &i = target ? *target : ignored;
            i.located = true;
            i.construction = dataRef == 0 && method <= 1 ? int(method) : -1;
            for (quint64 e = 0; e < extents && !c.failed(); ++e) {
                c.uint(indexSize);
                const quint64 offset = c.uint(offsetSize);
                const quint64 length = c.uint(lengthSize);
                if (Status s = addExtent(i, base, offset, length); !s)
                    return s;
            }
        }
        return c.failed() ? Status(malformed(QStringLiteral("iloc"))) : Status(Done{});
    }

    Status addExtent(HeifItem &i, quint64 base, quint64 offset, quint64 length)
    {
        if (i.construction < 0)
            return Done{}; // stored elsewhere: kept unreadable, refused on use
        const quint64 size = quint64(i.construction == 0 ? m_out.m_fileSize : m_out.m_idat.size());
        if (base > size || offset > size - base)
            return malformed(tr("item %1 starts past the end of the file").arg(i.id));
        const quint64 start = base + offset;
        if (length == 0)
            length = size - start; // "to the end of the file"
        if (length > size - start)
            return malformed(tr("item %1 runs past the end of the file").arg(i.id));
        i.extents.push_back({start, length});
        return Done{};
    }

    Status parseIref(QByteArrayView p)
    {
        ByteCursor c(p);
        const quint64 version = c.uint(1);
        c.uint(3);
        auto refs = children(c.rest());
        if (c.failed() || !refs)
            return malformed(QStringLiteral("iref"));
        const int idBytes = version == 0 ? 2 : 4;
        for (const Box &b : *refs) {
            ByteCursor r(b.payload);
            HeifContainer::Reference ref{b.type, quint32(r.uint(idBytes)), {}};
            const quint64 count = r.uint(2);
            if (!r.has(qsizetype(count) * idBytes))
                return malformed(QStringLiteral("iref"));
            for (quint64 n = 0; n < count; ++n)
                ref.to.push_back(quint32(r.uint(idBytes)));
            m_out.m_references.push_back(std::move(ref));
        }
        return Done{};
    }

    Status parseIprp(QByteArrayView p)
    {
        auto boxes = children(p);
        if (!boxes)
            return boxes.error();
        const Box *ipco = find(*boxes, "ipco");
        if (!ipco)
            return Done{};
        auto properties = children(ipco->payload);
        if (!properties)
            return properties.error();
        for (const Box &b : *properties)
            m_out.m_properties.push_back({b.type, b.payload.toByteArray()});
        for (const Box &b : *boxes)
            if (b.type == "ipma")
                if (Status s = parseIpma(b.payload); !s)
                    return s;
        return Done{};
    }

    Status parseIpma(QByteArrayView p)
    {
        ByteCursor c(p);
        const quint64 version = c.uint(1);
        const bool wide = c.uint(3) & 1;
        const quint64 count = c.uint(4);
        for (quint64 n = 0; n < count && !c.failed(); ++n) {
            const quint32 id = quint32(c.uint(version < 1 ? 2 : 4));
            const quint64 associations = c.uint(1);
            HeifItem *target = item(id);
            for (quint64 a = 0; a < associations && !c.failed(); ++a) {
                const quint64 raw = c.uint(wide ? 2 : 1);
                const quint64 index = raw & (wide ? 0x7FFF : 0x7F);
                const bool essential = raw >> (wide ? 15 : 7);
                if (index == 0)
                    continue; // "no property"
                if (index > m_out.m_properties.size())
                    return malformed(tr("item %1 uses property %2 of %3").arg(id).arg(index).arg(m_out.m_properties.size()));
                if (target)
                    target->properties.push_back({int(index - 1), essential});
            }
        }
        return c.failed() ? Status(malformed(QStringLiteral("ipma"))) : Status(Done{});
    }

    HeifContainer &m_out;
};

namespace {

// The top-level box of `type`: its payload's offset and size, found by walking box headers.
Result<std::optional<HeifExtent>> findTopLevel(QIODevice &device, qint64 fileSize, const char *type)
{
    qint64 at = 0;
    while (at + 8 <= fileSize) {
        if (!device.seek(at))
            return makeError(Error::Code::Io, tr("cannot read the HEIF file: %1").arg(device.errorString()));
        const QByteArray header = device.read(16);
        ByteCursor c(header);
        quint64 size = c.uint(4);
        const QByteArrayView boxType = c.bytes(4);
        qint64 headerSize = 8;
        if (size == 1) {
            size = c.uint(8);
            headerSize = 16;
        } else if (size == 0) {
            size = quint64(fileSize - at);
        }
        if (c.failed() || size < quint64(headerSize) || size > quint64(fileSize - at))
            return malformed(tr("a top-level box overruns the file"));
        if (boxType == QByteArrayView(type, 4))
            return std::optional<HeifExtent>(HeifExtent{quint64(at + headerSize), size - quint64(headerSize)});
        at += qint64(size);
    }
    return std::optional<HeifExtent>();
}

} // namespace

Result<HeifContainer> HeifContainer::read(QIODevice &device)
{
    HeifContainer container;
    container.m_fileSize = device.size();
    auto meta = findTopLevel(device, container.m_fileSize, "meta");
    if (!meta)
        return meta.error();
    if (!*meta)
        return makeError(Error::Code::UnsupportedFormat, tr("the file has no HEIF meta box"));
    if ((*meta)->length > kMaxMetaBytes)
        return malformed(tr("meta box of %1 bytes").arg((*meta)->length));
    if (!device.seek(qint64((*meta)->offset)))
        return makeError(Error::Code::Io, tr("cannot read the HEIF file: %1").arg(device.errorString()));
    const QByteArray payload = device.read(qint64((*meta)->length));
    if (payload.size() != qsizetype((*meta)->length))
        return makeError(Error::Code::Io, tr("cannot read the HEIF meta box"));
    HeifMetaParser parser(container);
    if (Status s = parser.parse(payload); !s)
        return s.error();
    return container;
}

const HeifItem *HeifContainer::item(quint32 id) const
{
    for (const HeifItem &i : m_items)
        if (i.id == id)
            return &i;
    return nullptr;
}

std::vector<quint32> HeifContainer::references(quint32 from, const char *type) const
{
    for (const Reference &r : m_references)
        if (r.from == from && r.type == type)
            return r.to;
    return {};
}

std::vector<quint32> HeifContainer::referencedBy(quint32 to, const char *type) const
{
    std::vector<quint32> from;
    for (const Reference &r : m_references)
        if (r.type == type && std::find(r.to.begin(), r.to.end(), to) != r.to.end())
            from.push_back(r.from);
    return from;
}

const HeifProperty *HeifContainer::property(const HeifItem &item, const char *type) const
{
    for (const HeifPropertyUse &use : item.properties)
        if (m_properties[size_t(use.index)].type == type)
            return &m_properties[size_t(use.index)];
    return nullptr;
}

Result<QByteArray> HeifContainer::itemData(QIODevice &device, const HeifItem &item, qint64 maxBytes) const
{
    if (!item.located || item.construction < 0 || item.extents.empty())
        return makeError(Error::Code::UnsupportedFormat,
                         tr("HEIF item %1 is not stored as plain file data").arg(item.id));
    quint64 total = 0;
    for (const HeifExtent &e : item.extents) {
        total += e.length; // each is at most the file size (checked at parse): no overflow here
        if (total > quint64(maxBytes))
            return malformed(tr("item %1 is larger than %2 bytes").arg(item.id).arg(maxBytes));
    }
    QByteArray data;
    data.reserve(qsizetype(total));
    for (const HeifExtent &e : item.extents) {
        if (item.construction == 1) { // checked against idat's size at parse
            data += QByteArrayView(m_idat).sliced(qsizetype(e.offset), qsizetype(e.length));
            continue;
        }
        if (!device.seek(qint64(e.offset)))
            return makeError(Error::Code::Io, tr("cannot read the HEIF file: %1").arg(device.errorString()));
        const QByteArray part = device.read(qint64(e.length));
        if (part.size() != qsizetype(e.length))
            return makeError(Error::Code::Io, tr("cannot read HEIF item %1").arg(item.id));
        data += part;
    }
    return data;
}

} // namespace mt
