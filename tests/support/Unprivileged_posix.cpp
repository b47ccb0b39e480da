#include "Unprivileged.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <unistd.h>

namespace mt::test {

bool Unprivileged::processIsPrivileged()
{
    return geteuid() == 0;
}

bool Unprivileged::nobodyIds(unsigned *uid, unsigned *gid)
{
    const passwd *nobody = getpwnam("nobody");
    if (!nobody)
        return false;
    *uid = nobody->pw_uid;
    *gid = nobody->pw_gid;
    return true;
}

bool Unprivileged::changeOwnerToNobody(const QString &path, QString *error)
{
    unsigned uid = 0, gid = 0;
    if (!nobodyIds(&uid, &gid)) {
        *error = QStringLiteral("this system has no user 'nobody'");
        return false;
    }
    if (lchown(QFile::encodeName(path).constData(), uid, gid) != 0) {
        *error = QStringLiteral("cannot give %1 to nobody: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}

} // namespace mt::test
