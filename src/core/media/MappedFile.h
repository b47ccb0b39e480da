#pragma once

#include "common/Result.h"

#include <QByteArrayView>
#include <QFile>
#include <QString>

#include <memory>

namespace mt {

// A whole file mapped read-only, opened through NativePath so any name the scanner listed works.
// RAW files and Motion Photos are read this way: the parsers look at a few places in a large file
// and the OS pages in only those.
class MappedFile {
public:
    static Result<std::unique_ptr<MappedFile>> open(const QString &path);

    QByteArrayView bytes() const { return m_bytes; }

private:
    MappedFile() = default;
    QFile m_file;
    QByteArrayView m_bytes;
};

} // namespace mt
