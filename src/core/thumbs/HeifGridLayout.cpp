#include "thumbs/HeifGridLayout.h"

#include <QCoreApplication>

#include <array>
#include <cmath>

namespace mt {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("Thumbnails", text); }

Error refused(const QString &why)
{
    return makeError(Error::Code::UnsupportedFormat, tr("HEIF tile decoding does not handle this file: %1").arg(why));
}

// libheif's own ceiling; bigger grids are not images a phone or camera writes.
constexpr int kMaxEdge = 1 << 16;
constexpr int kMaxTiles = 1 << 14;

quint64 be(QByteArrayView d, qsizetype at, int bytes)
{
    quint64 v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | quint8(d[at + i]);
    return v;
}

std::optional<QSize> ispe(const HeifContainer &c, const HeifItem &item)
{
    const HeifProperty *p = c.property(item, "ispe");
    if (!p || p->payload.size() < 12)
        return std::nullopt;
    const quint64 w = be(p->payload, 4, 4), h = be(p->payload, 8, 4);
    if (w == 0 || h == 0 || w > quint64(kMaxEdge) || h > quint64(kMaxEdge))
        return std::nullopt;
    return QSize(int(w), int(h));
}

// The properties a decoder must understand to show the item right; anything else essential
// (a future transform, a protection scheme) means "not ours".
bool knownEssential(const QByteArray &type)
{
    static const std::array<const char *, 8> known{"hvcC", "ispe", "irot", "imir", "clap", "colr", "pixi", "auxC"};
    return std::any_of(known.begin(), known.end(), [&](const char *k) { return type == k; });
}

Status checkEssentials(const HeifContainer &c, const HeifItem &item)
{
    for (const HeifPropertyUse &use : item.properties) {
        const QByteArray &type = c.properties()[size_t(use.index)].type;
        if (use.essential && !knownEssential(type))
            return refused(tr("essential property '%1'").arg(QString::fromLatin1(type)));
    }
    return Done{};
}

bool hasAlpha(const HeifContainer &c, quint32 primary)
{
    for (quint32 id : c.referencedBy(primary, "auxl")) {
        const HeifItem *aux = c.item(id);
        const HeifProperty *auxC = aux ? c.property(*aux, "auxC") : nullptr;
        if (auxC && auxC->payload.contains("alpha"))
            return true;
    }
    return false;
}

// clap's window (ISO/IEC 14496-12 CleanApertureBox): a size and a centre offset as fractions.
Result<QRect> cleanAperture(const HeifProperty &clap, QSize canvas)
{
    const QByteArrayView p = clap.payload;
    if (p.size() < 32)
        return refused(tr("short clap"));
    std::array<double, 4> v{};
    for (int i = 0; i < 4; ++i) {
        const quint64 num = be(p, i * 8, 4), den = be(p, i * 8 + 4, 4);
        if (den == 0)
            return refused(tr("clap with a zero denominator"));
        // Offsets are signed, sizes are not.
        v[size_t(i)] = (i < 2 ? double(num) : double(qint32(quint32(num)))) / double(den);
    }
    const double centreX = v[2] + (canvas.width() - 1) / 2.0, centreY = v[3] + (canvas.height() - 1) / 2.0;
    const double width = std::round(v[0]), height = std::round(v[1]);
    const double left = std::round(centreX - (v[0] - 1) / 2.0), top = std::round(centreY - (v[1] - 1) / 2.0);
    // Checked as doubles: hostile fractions must not overflow the int rectangle.
    if (!(width >= 1 && height >= 1 && left >= 0 && top >= 0 && left + width <= canvas.width()
          && top + height <= canvas.height()))
        return refused(tr("clap window outside the image"));
    return QRect(int(left), int(top), int(width), int(height));
}

std::optional<HeifNclx> nclx(const HeifContainer &c, const HeifItem &item)
{
    const HeifProperty *colr = c.property(item, "colr");
    if (!colr || colr->payload.size() < 11 || !colr->payload.startsWith("nclx"))
        return std::nullopt;
    return HeifNclx{int(be(colr->payload, 8, 2)), (quint8(colr->payload[10]) & 0x80) != 0};
}

// Reads the grid item's ImageGrid descriptor (rows, columns, output size) and its tiles.
Status readGrid(const HeifContainer &c, QIODevice &device, const HeifItem &grid, HeifGridPlan &plan)
{
    auto data = c.itemData(device, grid, 64);
    if (!data)
        return data.error();
    const QByteArray &d = *data;
    if (d.size() < 8 || d[0] != 0)
        return refused(tr("grid descriptor version"));
    const int fieldBytes = (quint8(d[1]) & 1) ? 4 : 2;
    if (d.size() < 4 + 2 * fieldBytes)
        return refused(tr("short grid descriptor"));
    plan.rows = quint8(d[2]) + 1;
    plan.columns = quint8(d[3]) + 1;
    const quint64 w = be(d, 4, fieldBytes), h = be(d, 4 + fieldBytes, fieldBytes);
    if (w == 0 || h == 0 || w > quint64(kMaxEdge) || h > quint64(kMaxEdge))
        return refused(tr("grid of %1 × %2 pixels").arg(w).arg(h));
    plan.outputSize = QSize(int(w), int(h));
    plan.tiles = c.references(grid.id, "dimg");
    if (plan.tiles.size() != size_t(plan.rows) * size_t(plan.columns) || plan.tiles.size() > size_t(kMaxTiles))
        return refused(tr("%1 tiles for a %2 × %3 grid").arg(plan.tiles.size()).arg(plan.rows).arg(plan.columns));
    return Done{};
}

// Every tile must be a plain hvc1 image of one size and one decoder configuration.
Status readTiles(const HeifContainer &c, quint32 primary, HeifGridPlan &plan)
{
    for (quint32 id : plan.tiles) {
        const HeifItem *tile = c.item(id);
        if (!tile || tile->type != "hvc1")
            return refused(tr("tile %1 is not an HEVC image").arg(id));
        if (Status s = checkEssentials(c, *tile); !s)
            return s;
        if (id != primary && (c.property(*tile, "irot") || c.property(*tile, "imir") || c.property(*tile, "clap")))
            return refused(tr("tile %1 is transformed on its own").arg(id));
        const HeifProperty *hvcC = c.property(*tile, "hvcC");
        const auto size = ispe(c, *tile);
        if (!hvcC || !size)
            return refused(tr("tile %1 lacks hvcC or ispe").arg(id));
        if (plan.hvcC.isEmpty()) {
            plan.hvcC = hvcC->payload;
            plan.tileSize = *size;
        } else if (plan.hvcC != hvcC->payload || plan.tileSize != *size) {
            return refused(tr("tiles are coded differently"));
        }
    }
    if (qint64(plan.tileSize.width()) * plan.columns < plan.outputSize.width()
        || qint64(plan.tileSize.height()) * plan.rows < plan.outputSize.height())
        return refused(tr("the tiles do not cover the grid"));
    return Done{};
}

// clap, irot and imir of the primary item, in the order it lists them.
Status readTransforms(const HeifContainer &c, const HeifItem &primary, HeifGridPlan &plan)
{
    plan.cropWindow = QRect(QPoint(0, 0), plan.outputSize);
    for (const HeifPropertyUse &use : primary.properties) {
        const HeifProperty &p = c.properties()[size_t(use.index)];
        if (p.type == "clap") {
            if (!plan.transforms.empty())
                return refused(tr("clap after a rotation"));
            auto window = cleanAperture(p, plan.outputSize);
            if (!window)
                return window.error();
            plan.cropWindow = *window;
        } else if (p.type == "irot" && !p.payload.isEmpty()) {
            plan.transforms.push_back({HeifTransform::Kind::RotateCcw, quint8(p.payload[0]) & 3, false});
        } else if (p.type == "imir" && !p.payload.isEmpty()) {
            // libheif 1.15 (our fallback, and what other tools show) flips top/bottom for axis 0
            // and left/right for axis 1; follow it so both paths agree.
            plan.transforms.push_back({HeifTransform::Kind::Mirror, 0, (quint8(p.payload[0]) & 1) == 1});
        }
    }
    return Done{};
}

} // namespace

QSize HeifGridPlan::displaySize() const
{
    QSize s = cropWindow.size();
    for (const HeifTransform &t : transforms)
        if (t.kind == HeifTransform::Kind::RotateCcw && t.quarterTurns % 2)
            s.transpose();
    return s;
}

Result<HeifGridPlan> HeifGridLayout::plan(const HeifContainer &c, QIODevice &device)
{
    const HeifItem *primary = c.item(c.primaryItemId());
    if (!primary)
        return refused(tr("no primary item"));
    if (Status s = checkEssentials(c, *primary); !s)
        return s.error();
    if (hasAlpha(c, primary->id))
        return refused(tr("the image has an alpha plane"));
    HeifGridPlan plan;
    if (primary->type == "grid") {
        if (Status s = readGrid(c, device, *primary, plan); !s)
            return s.error();
    } else if (primary->type == "hvc1") {
        const auto size = ispe(c, *primary);
        if (!size)
            return refused(tr("the image has no size"));
        plan.outputSize = *size;
        plan.tiles = {primary->id};
    } else {
        return refused(tr("'%1' images").arg(QString::fromLatin1(primary->type)));
    }
    if (Status s = readTiles(c, primary->id, plan); !s)
        return s.error();
    if (Status s = readTransforms(c, *primary, plan); !s)
        return s.error();
    plan.nclx = nclx(c, *primary);
    if (!plan.nclx && primary->type == "grid")
        plan.nclx = nclx(c, *c.item(plan.tiles.front()));
    return plan;
}

} // namespace mt
