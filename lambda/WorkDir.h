#pragma once

#include <QByteArray>
#include <QString>

namespace mt::lambda {

// `<QDir::tempPath()>/<request-id>/`, created on construction and removed with everything in it on
// destruction, so /tmp (which survives between invocations) never fills up whatever happened.
class WorkDir {
public:
    explicit WorkDir(const QByteArray &requestId);
    ~WorkDir();
    WorkDir(const WorkDir &) = delete;
    WorkDir &operator=(const WorkDir &) = delete;

    bool ok() const { return m_ok; }
    QString path() const { return m_path; }
    // A path below the work folder for a validated relative name; parent folders are created.
    QString fileFor(const QString &relative) const;

    // Work folders of invocations that never got to clean up (the process was killed at a
    // timeout, or ran out of memory): removed at init, so /tmp does not fill up over a
    // container's life. Only folders this class made (they carry a marker) are touched.
    static int removeStale();

private:
    QString m_path;
    bool m_ok = false;
};

} // namespace mt::lambda
