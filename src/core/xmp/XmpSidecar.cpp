#include "xmp/XmpSidecar.h"

#include "media/NativePath.h"
#include "platform/Exiv2File.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <exiv2/exiv2.hpp>

#include <mutex>

namespace mt {

namespace {

// The XMP toolkit keeps global state and Exiv2 gives it no lock of its own: every use here goes
// through this mutex.
std::mutex &xmpMutex()
{
    static std::mutex m;
    return m;
}

void ensureXmpReady()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::XmpParser::initialize();
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
        Exiv2::XmpProperties::registerNs(XmpSidecar::kNamespace, XmpSidecar::kPrefix);
    });
}

QString value(const Exiv2::XmpData &xmp, const char *key)
{
    try {
        const auto it = xmp.findKey(Exiv2::XmpKey(key));
        return it == xmp.end() ? QString() : QString::fromStdString(it->toString()).trimmed();
    } catch (const std::exception &) {
        return {};
    }
}

std::optional<int> integer(const Exiv2::XmpData &xmp, const char *key)
{
    bool ok = false;
    const int v = value(xmp, key).toInt(&ok);
    return ok ? std::optional<int>(v) : std::nullopt;
}

XmpRating ratingOf(const Exiv2::XmpData &xmp, const QString &source)
{
    XmpRating r;
    r.rating = integer(xmp, "Xmp.xmp.Rating");
    r.label = value(xmp, "Xmp.xmp.Label");
    r.pick = integer(xmp, "Xmp.digiKam.PickLabel");
    r.source = source;
    return r;
}

// The sidecar's properties; an error when it is not XMP (never overwritten then: it may hold
// someone's work in a form we do not understand).
Result<Exiv2::XmpData> readSidecar(const QString &path)
{
    QFile file;
    if (auto opened = NativePath::open(file, path, QIODevice::ReadOnly); !opened)
        return makeError(opened.error().code, XmpSidecar::tr("cannot read the sidecar %1: %2").arg(path, opened.error().message));
    const QByteArray bytes = file.readAll();
    Exiv2::XmpData xmp;
    if (bytes.trimmed().isEmpty())
        return xmp;
    int rc = 0;
    try {
        rc = Exiv2::XmpParser::decode(xmp, bytes.toStdString());
    } catch (const std::exception &) {
        rc = -1;
    }
    if (rc != 0 || (!bytes.contains("xmpmeta") && !bytes.contains("rdf:RDF")))
        return makeError(Error::Code::Corrupt,
                         XmpSidecar::tr("the sidecar %1 is not XMP (not well-formed XML); it was left as it is").arg(path));
    return xmp;
}

XmpRating embeddedRating(const QString &mediaPath)
{
    // Formats whose XMP Exiv2 reads from a header: a video would be walked atom by atom for
    // nothing, and HEIC needs Exiv2's BMFF support switched on, which this reader leaves alone.
    static const QStringList withXmp{QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("png"),
                                     QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("webp"),
                                     QStringLiteral("dng"), QStringLiteral("cr2"), QStringLiteral("nef"),
                                     QStringLiteral("arw"), QStringLiteral("orf"), QStringLiteral("rw2"),
                                     QStringLiteral("raf")};
    if (!withXmp.contains(QFileInfo(mediaPath).suffix().toLower()))
        return {};
    try {
        // Through the platform layer: on Windows a non-ASCII name never reaches Exiv2's ANSI fopen.
        auto file = Exiv2File::open(mediaPath);
        if (!file)
            return {};
        Exiv2::Image &image = (*file)->image();
        image.readMetadata();
        return ratingOf(image.xmpData(), mediaPath);
    } catch (const std::exception &) {
        return {}; // a format Exiv2 does not read (a video, HEIC) has no embedded rating for us
    }
}

} // namespace

std::optional<SidecarStyle> sidecarStyleFromName(const QString &name)
{
    if (name == QLatin1String("darktable") || name == QLatin1String("digikam"))
        return SidecarStyle::Darktable;
    if (name == QLatin1String("adobe") || name == QLatin1String("lightroom"))
        return SidecarStyle::Adobe;
    return std::nullopt;
}

QStringList XmpSidecar::candidatePaths(const QString &mediaPath)
{
    const QFileInfo info(mediaPath);
    const QString adobe = info.path() + u'/' + info.completeBaseName();
    return {mediaPath + QStringLiteral(".xmp"), mediaPath + QStringLiteral(".XMP"), adobe + QStringLiteral(".xmp"),
            adobe + QStringLiteral(".XMP")};
}

QString XmpSidecar::existingPath(const QString &mediaPath)
{
    for (const QString &path : candidatePaths(mediaPath))
        if (QFileInfo::exists(path))
            return path;
    return {};
}

QString XmpSidecar::newPath(const QString &mediaPath, SidecarStyle style)
{
    return candidatePaths(mediaPath).value(style == SidecarStyle::Darktable ? 0 : 2);
}

Result<XmpRating> XmpSidecar::readRating(const QString &mediaPath)
{
    ensureXmpReady();
    std::lock_guard lock(xmpMutex());
    const QString sidecar = existingPath(mediaPath);
    if (sidecar.isEmpty())
        return embeddedRating(mediaPath);
    auto xmp = readSidecar(sidecar);
    if (!xmp)
        return xmp.error();
    return ratingOf(*xmp, sidecar);
}

Result<QString> XmpSidecar::writeDecision(const QString &mediaPath, const XmpDecision &decision, SidecarStyle style)
{
    ensureXmpReady();
    std::lock_guard lock(xmpMutex());
    const QString existing = existingPath(mediaPath);
    const QString path = existing.isEmpty() ? newPath(mediaPath, style) : existing;
    Exiv2::XmpData xmp;
    if (!existing.isEmpty()) {
        auto read = readSidecar(existing);
        if (!read)
            return read.error();
        xmp = std::move(*read);
    }
    std::string packet;
    try {
        // A person's stars stand: the engine's discard is recorded beside them, not over them.
        if (decision.discard && integer(xmp, "Xmp.xmp.Rating").value_or(0) <= 0)
            xmp["Xmp.xmp.Rating"] = std::string("-1");
        const std::string prefix = std::string("Xmp.") + kPrefix + '.';
        xmp[prefix + "Verdict"] = std::string(decision.discard ? "discard" : "keep");
        xmp[prefix + "Reason"] = decision.reason.toStdString();
        xmp[prefix + "Engine"] = decision.engine.toStdString();
        if (!decision.model.isEmpty())
            xmp[prefix + "Model"] = decision.model.toStdString();
        xmp[prefix + "Date"] = decision.decidedAt.toString(Qt::ISODate).toStdString();
        if (Exiv2::XmpParser::encode(packet, xmp, Exiv2::XmpParser::omitPacketWrapper | Exiv2::XmpParser::useCompactFormat) != 0)
            return makeError(Error::Code::Internal, tr("cannot write XMP for %1").arg(mediaPath));
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, tr("cannot write XMP for %1: %2").arg(mediaPath, QString::fromLocal8Bit(e.what())));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io, tr("cannot write the sidecar %1: %2").arg(path, file.errorString()));
    file.write(QByteArray::fromStdString(packet));
    if (!file.commit())
        return makeError(Error::Code::Io, tr("cannot write the sidecar %1: %2").arg(path, file.errorString()));
    return path;
}

} // namespace mt
