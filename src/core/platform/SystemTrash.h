#pragma once

#include "common/Result.h"

#include <QCoreApplication>
#include <QString>

namespace mt {

// The system trash, both ways: moving a file in (never a delete) and putting it back for Undo.
// moveToTrash returns where the file went; the caller journals that path with the original one
// and later hands both to restore(), so no implementation needs to search the trash.
class SystemTrash {
    Q_DECLARE_TR_FUNCTIONS(SystemTrash)
public:
    virtual ~SystemTrash() = default;
    virtual Result<QString> moveToTrash(const QString &path) const = 0;
    // Moves `trashedPath` back to `originalPath` (recreating its folder; refusing when a file of
    // that name exists again) and drops the trash's own record of it.
    virtual Status restore(const QString &trashedPath, const QString &originalPath) const;

    // The one this platform uses (Platform_<os>.cpp).
    static const SystemTrash &platform();

protected:
    // What restore() leaves behind in the trash besides the file, removed once it is back.
    virtual QString recordOf(const QString &trashedPath) const = 0;
};

// Qt's trash (QFile::moveToTrash: the Finder's Trash through NSFileManager on macOS, the Recycle
// Bin through IFileOperation on Windows), which reports where the file went. Its records are the
// system's own bookkeeping (.DS_Store "Put Back" data on macOS), nothing to clean up.
class QtTrash : public SystemTrash {
public:
    Result<QString> moveToTrash(const QString &path) const override;

protected:
    QString recordOf(const QString &trashedPath) const override;
};

// The freedesktop.org trash (Linux, BSD): files/<name> with info/<name>.trashinfo beside it.
// Names that are not UTF-8 go in too (NativePath).
class FreedesktopTrash : public SystemTrash {
public:
    Result<QString> moveToTrash(const QString &path) const override;

protected:
    QString recordOf(const QString &trashedPath) const override;
};

// The Windows Recycle Bin: QtTrash, plus the $I... record that names the original location of
// each $R... file; left behind, Explorer would list a file that is no longer there.
class RecycleBinTrash : public QtTrash {
protected:
    QString recordOf(const QString &trashedPath) const override;
};

} // namespace mt
