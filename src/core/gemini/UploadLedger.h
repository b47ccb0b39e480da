#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

#include <mutex>

namespace mt::gemini {

// Names of the Files API files a run may have created, shared by every client of the run. A name
// is written down before its upload starts (the client chooses it, gemini-rest.md §6.1), so a run
// cancelled mid-upload still knows what to delete; deleting a name that never became a file is
// answered 403/404, which counts as done.
class UploadLedger {
public:
    void add(const QString &name)
    {
        std::lock_guard l(m_mutex);
        m_names.insert(name);
    }
    void remove(const QString &name)
    {
        std::lock_guard l(m_mutex);
        m_names.remove(name);
    }
    QStringList take()
    {
        std::lock_guard l(m_mutex);
        QStringList names(m_names.cbegin(), m_names.cend());
        m_names.clear();
        return names;
    }

private:
    std::mutex m_mutex;
    QSet<QString> m_names;
};

} // namespace mt::gemini
