#pragma once

#include "aws/AwsConfig.h"
#include "aws/S3Client.h"

#include <QFuture>
#include <QList>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>
#include <atomic>
#include <vector>

namespace mt::lambda {

// Objects fetched or stored at once: per-object latency dominates photo downloads, thumbnail
// uploads and shard-file reads, and a few streams in parallel hide it without filling /tmp any
// faster than the judging empties it.
constexpr int kTransferStreams = 6;

// Calls `work(client, item)` for every item on kTransferStreams workers, each taking the next item
// until none is left. S3 clients are not shared between threads: each worker has its own.
template <typename Item, typename Work>
void inTransferStreams(const aws::AwsConfig &config, std::vector<Item> &items, Work work)
{
    std::atomic<size_t> next{0};
    auto worker = [&] {
        aws::S3Client client(config);
        for (size_t i = next++; i < items.size(); i = next++)
            work(client, items[i]);
    };
    QThreadPool streams;
    streams.setMaxThreadCount(kTransferStreams);
    QList<QFuture<void>> workers;
    for (int w = 0; w < std::min<int>(kTransferStreams, int(items.size())); ++w)
        workers << QtConcurrent::run(&streams, worker);
    for (QFuture<void> &f : workers)
        f.waitForFinished();
}

} // namespace mt::lambda
