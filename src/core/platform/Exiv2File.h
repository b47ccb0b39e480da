#pragma once

#include "common/Result.h"
#include "platform/CFileAccess.h"

#include <QFile>
#include <QString>

#include <exiv2/image.hpp>

#include <memory>

namespace mt {

// An image opened by Exiv2, by name or through Qt (CFileAccess): through Qt the file is mapped
// and Exiv2 reads the mapped bytes (a MemIo), so the name never reaches Exiv2's ANSI fopen on
// Windows. Exceptions from Exiv2 become an Error here; readMetadata() may still throw.
class Exiv2File {
public:
    static Result<std::unique_ptr<Exiv2File>> open(const QString &path, CFileAccess access = cFileAccess());
    Exiv2::Image &image() { return *m_image; }

private:
    QFile m_file; // holds the mapping the image reads (ThroughQt)
    std::unique_ptr<Exiv2::Image> m_image;
};

} // namespace mt
