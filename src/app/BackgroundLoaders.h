#pragma once

#include "common/Cancellation.h"
#include "common/Result.h"
#include "media/FolderScanner.h"
#include "media/MediaItem.h"
#include "metadata/MediaMetadata.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <memory>
#include <vector>

namespace mt::app {

// Scans a folder on a worker thread; a newer load cancels the older one, whose result is dropped.
class FolderLoader : public QObject
{
    Q_OBJECT

public:
    explicit FolderLoader(QObject *parent = nullptr);
    ~FolderLoader() override;

    void load(const QString &folder, ScanOptions options);
    void cancel();
    bool isLoading() const { return m_loading; }

signals:
    void loaded(const QString &folder, const std::vector<mt::MediaItem> &items);

private:
    QThreadPool m_pool;
    CancellationToken m_token;
    quint64 m_generation = 0;
    bool m_loading = false;
};

using MetadataResult = std::shared_ptr<const Result<MediaMetadata>>;

// Reads metadata on a small pool and remembers it per path: the pane asks for the selected item
// (urgent, jumps the queue), the grid for the videos' durations (in the background).
class MetadataLoader : public QObject
{
    Q_OBJECT

public:
    explicit MetadataLoader(QObject *parent = nullptr);
    ~MetadataLoader() override;

    void request(const MediaItem &item, bool urgent);
    MetadataResult cached(const QString &path) const { return m_cache.value(path); }
    void clear();

signals:
    void loaded(const QString &path, mt::app::MetadataResult result);

private:
    QThreadPool m_pool;
    QHash<QString, MetadataResult> m_cache;
    QSet<QString> m_inFlight;
    quint64 m_generation = 0;
    CancellationToken m_token; // of the current generation
};

} // namespace mt::app
