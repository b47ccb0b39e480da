#include "Unprivileged.h"

namespace mt::test {

// Windows has no root that ignores file permissions the way these tests mean it: the tests run
// directly, and there is nobody to hand files to.
bool Unprivileged::processIsPrivileged()
{
    return false;
}

bool Unprivileged::nobodyIds(unsigned *, unsigned *)
{
    return false;
}

bool Unprivileged::changeOwnerToNobody(const QString &path, QString *error)
{
    *error = QStringLiteral("cannot give %1 to an unprivileged user on Windows").arg(path);
    return false;
}

} // namespace mt::test
