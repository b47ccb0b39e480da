#include "BackgroundLoaders.h"

#include "metadata/MetadataReader.h"

#include <QRunnable>

namespace mt::app {

FolderLoader::FolderLoader(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

FolderLoader::~FolderLoader()
{
    m_token.cancel();
    m_pool.waitForDone();
}

void FolderLoader::load(const QString &folder, ScanOptions options)
{
    m_token.cancel();
    m_token = CancellationToken();
    const quint64 generation = ++m_generation;
    m_loading = true;
    const CancellationToken token = m_token;
    m_pool.start([this, folder, options, token, generation] {
        auto items = FolderScanner(options).scanFolder(folder, token);
        if (token.isCancelled())
            return;
        // Queued back to the GUI thread; the destructor waits for this job, so `this` lives.
        QMetaObject::invokeMethod(this, [this, folder, items = std::move(items), generation]() mutable {
            if (generation != m_generation)
                return;
            m_loading = false;
            emit loaded(folder, items);
        }, Qt::QueuedConnection);
    });
}

void FolderLoader::cancel()
{
    m_token.cancel();
    ++m_generation;
    m_loading = false;
}

MetadataLoader::MetadataLoader(QObject *parent) : QObject(parent)
{
    // Two readers: metadata is mostly I/O, and the thumbnail pool already keeps the cores busy.
    m_pool.setMaxThreadCount(2);
}

MetadataLoader::~MetadataLoader()
{
    m_pool.clear();
    // A probe stuck on a hostile file would otherwise hold up closing for its whole budget.
    m_token.cancel();
    m_pool.waitForDone();
}

void MetadataLoader::request(const MediaItem &item, bool urgent)
{
    if (m_cache.contains(item.path)) {
        emit loaded(item.path, m_cache.value(item.path));
        return;
    }
    if (m_inFlight.contains(item.path) && !urgent)
        return;
    m_inFlight.insert(item.path);
    const quint64 generation = m_generation;
    const CancellationToken token = m_token;
    auto *job = QRunnable::create([this, item, generation, token] {
        // readMetadata bounds the probe by the file's budget, so a hostile file costs one
        // reader at most that long and then shows its error.
        auto result = std::make_shared<const Result<MediaMetadata>>(readMetadata(item, token));
        if (token.isCancelled() && !*result)
            return; // abandoned by clear() or shutdown: nobody waits for this answer
        QMetaObject::invokeMethod(this, [this, path = item.path, result, generation] {
            if (generation != m_generation)
                return;
            m_inFlight.remove(path);
            m_cache.insert(path, result);
            emit loaded(path, result);
        }, Qt::QueuedConnection);
    });
    m_pool.start(job, urgent ? 10 : 0);
}

void MetadataLoader::clear()
{
    m_pool.clear();
    m_token.cancel();
    m_token = CancellationToken();
    m_cache.clear();
    m_inFlight.clear();
    ++m_generation;
}

} // namespace mt::app
