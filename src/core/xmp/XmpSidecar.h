#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace mt {

// Which sidecar name a new sidecar gets. An existing sidecar of either style is always updated
// in place, never duplicated.
enum class SidecarStyle {
    Darktable, // IMG_1.CR2.xmp: darktable and digiKam; one per file, so IMG_1.HEIC and IMG_1.MOV never share
    Adobe,     // IMG_1.xmp: Lightroom Classic and Bridge (Lightroom reads sidecars for RAW files only)
};
std::optional<SidecarStyle> sidecarStyleFromName(const QString &name); // "darktable", "adobe"

// What a person (or another tool) said about a picture in XMP: in its sidecar, else embedded.
struct XmpRating {
    std::optional<int> rating; // xmp:Rating: -1 rejected, 0 unrated, 1..5 stars
    QString label;             // xmp:Label ("Red", "Select", …)
    std::optional<int> pick;   // digiKam:PickLabel: 0 none, 1 rejected, 2 pending, 3 accepted
    QString source;            // the sidecar or file it was read from

    bool rejected() const { return rating.value_or(0) < 0 || pick.value_or(0) == 1; }
    bool rated() const { return rating.value_or(0) > 0 || pick.value_or(0) == 3; }
};

// The engine's decision as MediaTriage records it in its own XMP namespace.
struct XmpDecision {
    bool discard = false;
    QString reason;
    QString engine;
    QString model;
    QDateTime decidedAt;
};

// XMP sidecars next to media files, read and written through Exiv2's XMP support. The media file
// itself is never opened for writing. Writes are atomic (QSaveFile) and keep every property the
// sidecar already had (a darktable history, Lightroom develop settings, unknown namespaces).
class XmpSidecar {
    Q_DECLARE_TR_FUNCTIONS(XmpSidecar)
public:
    static constexpr const char *kNamespace = "http://ns.mediatriage.org/xmp/1.0/";
    static constexpr const char *kPrefix = "mediatriage";

    // The sidecar names a file may have, in the order they are looked for.
    static QStringList candidatePaths(const QString &mediaPath);
    // The existing sidecar, else empty.
    static QString existingPath(const QString &mediaPath);
    static QString newPath(const QString &mediaPath, SidecarStyle style);

    // The person's rating: from the sidecar when there is one, else from XMP embedded in the file.
    // No XMP at all is an empty rating, not an error; a sidecar that is not XMP is an error.
    static Result<XmpRating> readRating(const QString &mediaPath);

    // Records the decision in the file's sidecar (created in `style` when there is none). A discard
    // sets xmp:Rating to -1 unless the person rated the picture (their stars stand); a keep leaves
    // the rating as it is. Returns the sidecar's path.
    static Result<QString> writeDecision(const QString &mediaPath, const XmpDecision &decision, SidecarStyle style);
};

} // namespace mt
