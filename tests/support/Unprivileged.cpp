#include "Unprivileged.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace mt::test {

bool Unprivileged::isPrivileged()
{
    return processIsPrivileged();
}

QStringList Unprivileged::command(const QString &program, const QStringList &arguments, QString *error)
{
    unsigned uid = 0, gid = 0;
    if (!nobodyIds(&uid, &gid)) {
        *error = QStringLiteral("this system has no user 'nobody' to run as");
        return {};
    }
    // setpriv changes the ids in place (no PAM session, no login shell); runuser is the fallback.
    if (const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv")); !setpriv.isEmpty())
        return QStringList{setpriv, QStringLiteral("--reuid=%1").arg(uid), QStringLiteral("--regid=%1").arg(gid),
                           QStringLiteral("--clear-groups"), QStringLiteral("--"), program}
               + arguments;
    if (const QString runuser = QStandardPaths::findExecutable(QStringLiteral("runuser")); !runuser.isEmpty())
        return QStringList{runuser, QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--"), program}
               + arguments;
    *error = QStringLiteral("running as root, and neither setpriv nor runuser (util-linux) is installed to drop "
                            "privileges: install util-linux");
    return {};
}

bool Unprivileged::handOver(const QString &path, QString *error)
{
    if (!changeOwnerToNobody(path, error))
        return false;
    QDirIterator it(path, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (!changeOwnerToNobody(it.next(), error))
            return false;
    }
    return true;
}

Unprivileged::Outcome Unprivileged::rerunCurrentCase()
{
    Outcome outcome;
    QTemporaryDir home;
    if (!home.isValid() || !handOver(home.path(), &outcome.log)) {
        outcome.log = QStringLiteral("cannot prepare a folder for nobody: ") + outcome.log + home.errorString();
        return outcome;
    }
    QString testCase = QString::fromLatin1(QTest::currentTestFunction());
    if (const char *tag = QTest::currentDataTag(); tag && *tag)
        testCase += QLatin1Char(':') + QString::fromUtf8(tag);
    const QStringList argv = command(QCoreApplication::applicationFilePath(), {testCase}, &outcome.log);
    if (argv.isEmpty())
        return outcome;

    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("TMPDIR"), home.path());
    env.remove(QStringLiteral("XDG_RUNTIME_DIR")); // root's; Qt makes nobody's own under TMPDIR
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(argv.first(), argv.mid(1));
    const bool finished = child.waitForFinished(120000);
    const QString printed = QString::fromLocal8Bit(child.readAll());
    const QString how = argv.mid(0, argv.indexOf(QStringLiteral("--"))).join(QLatin1Char(' '));
    outcome.log = QStringLiteral("re-run of %1 as nobody (%2):\n%3").arg(testCase, how, printed);
    if (!finished) {
        child.kill();
        child.waitForFinished();
        outcome.log += QStringLiteral("\n(no answer within 120 s)");
        return outcome;
    }
    // It must have run and passed that very case: a skip or an unknown function is no pass.
    const QRegularExpression passLine(QStringLiteral("^PASS +: \\S+::%1\\(")
                                          .arg(QRegularExpression::escape(QString::fromLatin1(QTest::currentTestFunction()))),
                                      QRegularExpression::MultilineOption);
    outcome.passed = child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0
                     && printed.contains(passLine) && !printed.contains(QRegularExpression(QStringLiteral("^SKIP +:"), QRegularExpression::MultilineOption));
    return outcome;
}

} // namespace mt::test
