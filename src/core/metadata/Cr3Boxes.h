#pragma once

#include <QByteArrayView>

#include <vector>

namespace mt {

// What the readers take from a Canon CR3 (ISO BMFF), found by a bounded walk of its boxes
// (IsoBoxes) rather than by a third-party parser: Exiv2's box walkers and LibRaw 0.20's CR3
// parser both spin on crafted files (fuzz_raw_metadata). Views into the file's bytes.
struct Cr3Boxes {
    QByteArrayView cmt1;                  // TIFF with IFD0 (make, model, orientation)
    QByteArrayView cmt2;                  // TIFF whose IFD holds the Exif tags
    std::vector<QByteArrayView> previews; // JPEG streams: THMB (160x120), PRVW (1620x1080)

    static bool isCr3(QByteArrayView file); // 'ftyp' with the major brand "crx "
    static Cr3Boxes find(QByteArrayView file);
};

} // namespace mt
