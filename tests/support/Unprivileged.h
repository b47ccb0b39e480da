#pragma once

// Tests that need an unprivileged process (a file its owner cannot read, a folder nobody may write)
// cannot provoke the error as root, and builds run as root. Instead of skipping, such a test case
// runs itself again as the unprivileged user "nobody" and passes only if that run passes:
//
//     void unreadableFile()
//     {
//         MT_RUN_UNPRIVILEGED(); // as root: re-runs this case (and data row) as nobody, then returns
//         ... the body, which now runs as nobody (or directly, when the tests do not run as root)
//     }
//
// The re-run gets its own TMPDIR and HOME owned by nobody, so QTemporaryDir works there. Files the
// privileged process prepared are given to nobody with handOver(). Other programs run as nobody with
// command(). On Linux the privileges are dropped with setpriv (util-linux), else runuser; on
// platforms without root (Windows) isPrivileged() is false and everything runs directly.

#include <QString>
#include <QStringList>
#include <QTest>

namespace mt::test {

class Unprivileged {
public:
    struct Outcome {
        bool passed = false;
        QString log; // what the re-run printed, or why it could not run
    };

    // True when permission checks do not apply to this process (root).
    static bool isPrivileged();

    // Runs QTest::currentTestFunction() (and QTest::currentDataTag()) of this executable as nobody.
    static Outcome rerunCurrentCase();

    // program + arguments wrapped so they run as nobody; empty with *error set when impossible.
    static QStringList command(const QString &program, const QStringList &arguments, QString *error);

    // Makes nobody the owner of `path` and, for a folder, of everything in it.
    static bool handOver(const QString &path, QString *error);

private:
    // Per platform (Unprivileged_posix.cpp / Unprivileged_win.cpp).
    static bool processIsPrivileged();
    static bool changeOwnerToNobody(const QString &path, QString *error);
    static bool nobodyIds(unsigned *uid, unsigned *gid);
};

} // namespace mt::test

#define MT_RUN_UNPRIVILEGED()                                                                 \
    do {                                                                                      \
        if (::mt::test::Unprivileged::isPrivileged()) {                                       \
            const ::mt::test::Unprivileged::Outcome mtOutcome =                               \
                ::mt::test::Unprivileged::rerunCurrentCase();                                 \
            QVERIFY2(mtOutcome.passed, qPrintable(mtOutcome.log));                            \
            return;                                                                           \
        }                                                                                     \
    } while (false)
