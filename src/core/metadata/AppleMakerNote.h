#pragma once

#include <QByteArrayView>
#include <QString>

namespace mt {

// The two identifiers an iPhone writes into its MakerNote that Exiv2 0.27 does not decode (it
// keeps Apple's MakerNote as opaque bytes): the Live Photo content identifier that the clip's
// QuickTime metadata repeats, and the UUID shared by the frames of a burst.
struct AppleMakerNote {
    QString contentIdentifier; // tag 0x0011
    QString burstUuid;         // tag 0x000b

    // Parses the MakerNote bytes ("Apple iOS\0", version, "MM", then a big-endian IFD whose
    // offsets count from the start of the MakerNote). Anything else, or damaged bytes, gives an
    // empty result: a missing identifier only means pairing falls back to names and times.
    static AppleMakerNote parse(QByteArrayView bytes);
};

} // namespace mt
