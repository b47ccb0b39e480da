#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QIODevice>

#include <cstdint>
#include <vector>

namespace mt {

// One run of an item's bytes in the file (iloc extent, already relative to the file start).
struct HeifExtent {
    quint64 offset = 0;
    quint64 length = 0;
};

// A property from ipco: its four-character type and the bytes after its box header.
struct HeifProperty {
    QByteArray type;
    QByteArray payload;
};

// A property as an item uses it (ipma): which one, and whether a reader must understand it.
struct HeifPropertyUse {
    int index = 0; // into HeifContainer::properties()
    bool essential = false;
};

struct HeifItem {
    quint32 id = 0;
    QByteArray type; // "hvc1", "grid", "av01", "Exif", ...
    bool hidden = false;
    bool located = false;      // iloc has an entry for it
    // Where the extents point: 0 = into the file, 1 = into meta's idat (phones keep the grid
    // descriptor there), -1 = elsewhere (other files, derived from other items): refused.
    int construction = -1;
    std::vector<HeifExtent> extents;
    std::vector<HeifPropertyUse> properties; // in ipma order, which is the order transforms apply in
};

// The item structure of a HEIF file (ISO/IEC 23008-12): meta's pitm, iinf, iloc, iref and iprp,
// read without decoding anything. libheif 1.15 parses the same boxes but hides a grid's tiles;
// reading them ourselves lets a thumbnail decode tile by tile. Everything comes from untrusted
// bytes, so every count, size and offset is checked against what surrounds it and the file size.
class HeifContainer {
public:
    // Reads the top-level boxes from `device` (only `meta` is loaded; item data stays in the file).
    static Result<HeifContainer> read(QIODevice &device);

    quint32 primaryItemId() const { return m_primary; }
    const HeifItem *item(quint32 id) const;
    const std::vector<HeifItem> &items() const { return m_items; }

    // Target ids of the `type` references from `from` (e.g. "dimg": a grid's tiles, in order).
    std::vector<quint32> references(quint32 from, const char *type) const;
    // Ids of the items holding a `type` reference to `to` (e.g. "auxl": its alpha/depth planes).
    std::vector<quint32> referencedBy(quint32 to, const char *type) const;

    // The first property of `type` the item uses, or null.
    const HeifProperty *property(const HeifItem &item, const char *type) const;
    const std::vector<HeifProperty> &properties() const { return m_properties; }

    // The item's bytes (its extents, concatenated). Refuses items stored other than in the file
    // or in idat, and anything larger than `maxBytes`.
    Result<QByteArray> itemData(QIODevice &device, const HeifItem &item, qint64 maxBytes) const;

private:
    struct Reference {
        QByteArray type;
        quint32 from = 0;
        std::vector<quint32> to;
    };
    friend class HeifMetaParser;

    quint32 m_primary = 0;
    qint64 m_fileSize = 0;
    QByteArray m_idat;
    std::vector<HeifItem> m_items;
    std::vector<HeifProperty> m_properties;
    std::vector<Reference> m_references;
};

} // namespace mt
