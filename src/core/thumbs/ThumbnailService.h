#pragma once

#include "thumbs/ThumbnailProvider.h"

#include <QHash>
#include <QImage>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QThreadPool>

namespace mt {

struct ThumbnailServiceOptions {
    int maxThreads = 0; // 0: one per core
};

// Thumbnails for the app's grid, off the UI thread: a bounded pool of workers runs
// ThumbnailProvider::get, visible items before prefetched ones, and requests for items scrolled
// out of view are dropped before they cost anything (or abandoned mid-way through the token).
// Results arrive by queued signal in the thread that owns the service; a cancelled request
// never signals.
class ThumbnailService : public QObject
{
    Q_OBJECT

public:
    enum class Priority { Prefetch = 0, Visible = 10 };

    using Options = ThumbnailServiceOptions;

    explicit ThumbnailService(ThumbnailProvider provider = ThumbnailProvider(), Options options = Options{},
                              QObject *parent = nullptr);
    ~ThumbnailService() override;

    // Queues a thumbnail unless the same one is already queued or running; a queued prefetch
    // becomes visible when asked again with Priority::Visible. `size` is a standard size.
    void request(const QString &path, int size, Priority priority = Priority::Visible);
    void cancel(const QString &path, int size);
    // Cancels every request whose path is not in `paths` (the items now on screen).
    void retainOnly(const QSet<QString> &paths);
    void cancelAll();

    int pendingCount() const;
    // Blocks until every started job has finished (for tests and shutdown).
    void waitForDone();

signals:
    void thumbnailReady(const QString &path, int size, const QImage &image);
    void thumbnailFailed(const QString &path, int size, const QString &message);

private:
    struct Key {
        QString path;
        int size;
        bool operator==(const Key &o) const { return size == o.size && path == o.path; }
    };
    friend size_t qHash(const Key &k, size_t seed) { return qHashMulti(seed, k.path, k.size); }

    struct Pending {
        quint64 id;
        CancellationToken token;
        QRunnable *queued; // non-null while still in the pool's queue (not yet started)
        Priority priority;
    };

    void enqueue(const Key &key, Priority priority);
    void cancelLocked(const Key &key);
    void run(const Key &key, quint64 id, CancellationToken token);
    void deliver(const Key &key, quint64 id, const Result<Thumbnail> &result);

    ThumbnailProvider m_provider;
    Options m_options;
    QThreadPool m_pool;
    mutable QMutex m_mutex;
    QHash<Key, Pending> m_pending;
    quint64 m_nextId = 1;
};

} // namespace mt
