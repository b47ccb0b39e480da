#include "platform/FileNameCase.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>

namespace mt {

bool FileNameCase::isCaseInsensitive(const QString &folder)
{
    // Letters only in the fixed part, so the swapped name differs in every letter of it.
    QTemporaryFile probe(QDir(folder).filePath(QStringLiteral("mediatriage-case-probe-XXXXXX")));
    if (!probe.open())
        return false;
    const QFileInfo info(probe.fileName());
    const QString swapped = info.fileName().toUpper();
    return swapped != info.fileName() && QFileInfo::exists(info.dir().filePath(swapped));
}

QString FileNameCase::collisionKey(const QString &fileName, bool caseInsensitive)
{
    // Case folding as the file systems do it for the names people use (NTFS, APFS and FAT differ
    // in exotic corners; the fold is the common ground). Normalised first: APFS and HFS+ also
    // treat NFC and NFD spellings of "é" as one name.
    const QString normal = fileName.normalized(QString::NormalizationForm_C);
    return caseInsensitive ? normal.toCaseFolded() : fileName;
}

} // namespace mt
