#include "thumbs/ThumbnailService.h"

#include <QMetaObject>
#include <QMutexLocker>
#include <QRunnable>
#include <QThread>

namespace mt {

ThumbnailService::ThumbnailService(ThumbnailProvider provider, Options options, QObject *parent)
    : QObject(parent), m_provider(std::move(provider)), m_options(options)
{
    m_pool.setMaxThreadCount(options.maxThreads > 0 ? options.maxThreads : std::max(1, QThread::idealThreadCount()));
}

ThumbnailService::~ThumbnailService()
{
    cancelAll();
    // Workers reference this object; they finish quickly once their tokens are cancelled.
    m_pool.waitForDone();
}

void ThumbnailService::request(const QString &path, int size, Priority priority)
{
    QMutexLocker lock(&m_mutex);
    const Key key{path, size};
    const auto it = m_pending.find(key);
    if (it != m_pending.end()) {
        // Still queued as a prefetch and now on screen: move it up the queue.
        if (it->queued && priority > it->priority && m_pool.tryTake(it->queued)) {
            delete it->queued;
            m_pending.erase(it);
            enqueue(key, priority);
        }
        return;
    }
    enqueue(key, priority);
}

void ThumbnailService::enqueue(const Key &key, Priority priority)
{
    const quint64 id = m_nextId++;
    CancellationToken token;
    QRunnable *job = QRunnable::create([this, key, id, token] { run(key, id, token); });
    // The pool deletes the job after running it; a job taken back from the queue is ours.
    m_pending.insert(key, Pending{id, token, job, priority});
    m_pool.start(job, int(priority));
}

void ThumbnailService::cancel(const QString &path, int size)
{
    QMutexLocker lock(&m_mutex);
    cancelLocked(Key{path, size});
}

void ThumbnailService::cancelLocked(const Key &key)
{
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    it->token.cancel();
    // The queued pointer is only set while the job has not started, and a job cannot start
    // (nor be deleted) without this mutex, so the pointer is valid here.
    if (it->queued && m_pool.tryTake(it->queued))
        delete it->queued;
    m_pending.erase(it);
}

void ThumbnailService::retainOnly(const QSet<QString> &paths)
{
    QMutexLocker lock(&m_mutex);
    QList<Key> drop;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        if (!paths.contains(it.key().path))
            drop.append(it.key());
    for (const Key &key : drop)
        cancelLocked(key);
}

void ThumbnailService::cancelAll()
{
    QMutexLocker lock(&m_mutex);
    const QList<Key> keys = m_pending.keys();
    for (const Key &key : keys)
        cancelLocked(key);
}

int ThumbnailService::pendingCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_pending.size());
}

void ThumbnailService::waitForDone()
{
    m_pool.waitForDone();
}

void ThumbnailService::run(const Key &key, quint64 id, CancellationToken token)
{
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_pending.find(key);
        if (it == m_pending.end() || it->id != id)
            return; // cancelled while queued
        it->queued = nullptr;
    }
    if (token.isCancelled())
        return;
    // The provider bounds the work by the file's media budget, counted from here.
    const Result<Thumbnail> result = m_provider.get(key.path, key.size, token, ThumbnailProvider::Pixels::Load);
    QMetaObject::invokeMethod(this, [this, key, id, result] { deliver(key, id, result); }, Qt::QueuedConnection);
}

void ThumbnailService::deliver(const Key &key, quint64 id, const Result<Thumbnail> &result)
{
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_pending.find(key);
        // Cancelled (or cancelled and requested anew) after the work finished: stay quiet.
        if (it == m_pending.end() || it->id != id)
            return;
        m_pending.erase(it);
    }
    if (result)
        emit thumbnailReady(key.path, key.size, result->image);
    else
        emit thumbnailFailed(key.path, key.size, result.error().message);
}

} // namespace mt
