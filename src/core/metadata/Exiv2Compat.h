#pragma once

// Exiv2 0.27 (Debian 12) and 0.28 (Homebrew, MSYS2, vcpkg, Debian 13) differ in a few calls the
// readers use; this is the one place that knows. Tested on 0.27 here; the 0.28 branch follows the
// 0.28 headers (toInt64 replaced toLong, UniquePtr replaced AutoPtr, sizes became size_t).
#include <exiv2/exiv2.hpp>

#include <string_view>
#include <typeinfo>

#include <cstdint>
#include <memory>

namespace mt::exiv2compat {

// An integer tag value (count-th component).
inline int64_t toInteger(const Exiv2::Metadatum &datum, size_t n = 0)
{
#if EXIV2_TEST_VERSION(0, 28, 0)
    return datum.toInt64(n);
#else
    return datum.toLong(long(n));
#endif
}

inline size_t count(const Exiv2::Metadatum &datum) { return size_t(datum.count()); }

// ImageFactory::open returns an AutoPtr (std::auto_ptr) on 0.27 and a UniquePtr on 0.28; both
// hand over by release().
inline std::unique_ptr<Exiv2::Image> openFile(const std::string &name)
{
    return std::unique_ptr<Exiv2::Image>(Exiv2::ImageFactory::open(name).release());
}

inline std::unique_ptr<Exiv2::Image> openMemory(const Exiv2::byte *data, size_t size)
{
#if EXIV2_TEST_VERSION(0, 28, 0)
    return std::unique_ptr<Exiv2::Image>(Exiv2::ImageFactory::open(data, size).release());
#else
    return std::unique_ptr<Exiv2::Image>(Exiv2::ImageFactory::open(data, long(size)).release());
#endif
}

// Exiv2 took the bytes for a QuickTime/RIFF/Matroska/ASF video. Its video parsers spin for minutes
// on crafted input (fuzz_media_heic, fuzz_media_mov), and FFmpeg reads videos anyway: callers
// reading stills or RAW previews stop there. Asked of the class, not of mimeType(): a TiffImage
// asked its MIME type before readMetadata() caches a wrong primary group and then misreads its size.
inline bool readsAsVideo(const Exiv2::Image &image)
{
    return std::string_view(typeid(image).name()).find("Video") != std::string_view::npos; // QuickTimeVideo, RiffVideo, ...
}

// Exiv2 took the bytes for ISO BMFF (HEIC, AVIF, CR3). 0.28 always parses it; 0.27 only after
// Exiv2::enableBMFF(true), which this project never calls: it is process-wide, so every later open
// of any file would change class. Its box walker is the QuickTime parser's sibling, and on 0.27.6
// it throws on a real CR3's Canon boxes anyway; the RAW readers refuse it, as they refuse videos.
inline bool readsAsIsoBmff(const Exiv2::Image &image)
{
    return std::string_view(typeid(image).name()).find("BmffImage") != std::string_view::npos;
}

} // namespace mt::exiv2compat
