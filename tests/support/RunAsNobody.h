#pragma once

// Runs one test function of the running test binary again as an unprivileged user, for the cases
// root passes straight through (file permissions). Minimal stand-in until tests/support gets the
// shared helper: `setpriv` (util-linux) as nobody:nogroup.
#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace mt::test {

inline bool runningAsRoot()
{
#ifdef Q_OS_UNIX
    return ::geteuid() == 0;
#else
    return false;
#endif
}

struct ChildRun {
    int exitCode = -1; // -1: did not start, crashed or timed out
    QString output;
};

// `extraEnv` tells the child what to check (its test function sees it and takes the child's role).
inline ChildRun runTestFunctionAsNobody(const QString &function, const QProcessEnvironment &extraEnv)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : extraEnv.keys())
        env.insert(key, extraEnv.value(key));
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("setpriv"), {QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
                                        QStringLiteral("--clear-groups"), QCoreApplication::applicationFilePath(), function});
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return {-1, QString::fromLocal8Bit(p.readAll())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAll())};
}

} // namespace mt::test
