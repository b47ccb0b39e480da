#include "OverrideStore.h"

#include "triage/ContentHash.h"
#include "triage/VerdictStore.h"

#include <QFileInfo>

namespace mt::app {

OverrideStore::OverrideStore(QString storePath, QObject *parent) : QObject(parent), m_path(std::move(storePath))
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1); // the SQLite connection belongs to this one thread
}

OverrideStore::~OverrideStore()
{
    // Close the connection on the thread that opened it, after the queued jobs (the pool is FIFO
    // with one thread). No waitForDone() before this: Qt 6 retires the pool's threads in it.
    m_pool.start([this] { m_store.reset(); });
    m_pool.waitForDone();
}

VerdictStore *OverrideStore::store()
{
    if (m_store)
        return m_store.get();
    // A failed open (locked by another program) is tried again on the next call.
    auto opened = VerdictStore::open(m_path);
    std::optional<QString> text;
    if (opened) {
        m_store = std::move(*opened);
        text = m_store->recoveryNotice();
    } else {
        text = opened.error().message;
    }
    if (text && !m_noticeSent) {
        m_noticeSent = true;
        QMetaObject::invokeMethod(this, [this, message = *text] { emit notice(message); }, Qt::QueuedConnection);
    }
    return m_store.get();
}

void OverrideStore::save(const QString &path, const QString &contentHash, std::optional<bool> keep)
{
    m_pool.start([this, path, contentHash, keep] {
        QString hash = contentHash;
        if (hash.isEmpty()) {
            auto computed = mt::contentHash(path);
            if (computed)
                hash = *computed;
        }
        bool ok = false;
        if (VerdictStore *s = store(); s && !hash.isEmpty()) {
            StoredVerdict v;
            v.contentHash = hash;
            v.model = kModel;
            v.promptVersion = kVersion;
            v.keep = keep.value_or(true);
            // U is stored too: a cleared decision must not come back from an older row.
            v.reason = keep ? (*keep ? QStringLiteral("kept by the person") : QStringLiteral("discarded by the person"))
                            : QStringLiteral("cleared");
            v.modelVersion = kModel;
            v.fileName = QFileInfo(path).fileName();
            v.decidedAt = QDateTime::currentDateTimeUtc();
            ok = s->put({v}).ok();
        }
        QMetaObject::invokeMethod(this, [this, path, hash, ok] { emit saved(path, hash, ok); }, Qt::QueuedConnection);
    });
}

void OverrideStore::lookup(const QHash<QString, QString> &hashByPath)
{
    m_pool.start([this, hashByPath] {
        QHash<QString, bool> result;
        if (VerdictStore *s = store()) {
            for (auto it = hashByPath.cbegin(); it != hashByPath.cend(); ++it) {
                if (it.value().isEmpty())
                    continue;
                const auto v = s->find(it.value(), kModel, kVersion);
                if (v && *v && (*v)->reason != QLatin1String("cleared"))
                    result.insert(it.key(), (*v)->keep);
            }
        }
        QMetaObject::invokeMethod(this, [this, result] { emit found(result); }, Qt::QueuedConnection);
    });
}

} // namespace mt::app
