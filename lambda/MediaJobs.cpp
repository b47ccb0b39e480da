#include "lambda/MediaJobs.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibrary>

#include <future>
#include <mutex>

namespace mt::lambda {

namespace {

using EntryPoint = MediaJobs *(*)();

Result<MediaJobs *> load(const QString &besideExecutable)
{
    // Never unloaded: the handlers' code and static data must outlive every invocation.
    static QLibrary library;
    QStringList tried;
    for (const QString &name : {besideExecutable, QStringLiteral("mediatriage_lambda_media")}) {
        library.setFileName(name);
        if (library.load())
            break;
        tried << library.errorString();
    }
    if (!library.isLoaded())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("MediaModule", "cannot load the media module: %1")
                             .arg(tried.join(QStringLiteral("; "))));
    auto entry = reinterpret_cast<EntryPoint>(library.resolve(MediaModule::kEntryPoint));
    MediaJobs *jobs = entry ? entry() : nullptr;
    if (!jobs)
        return makeError(Error::Code::Corrupt,
                         QCoreApplication::translate("MediaModule", "%1 is not MediaTriage's media module")
                             .arg(library.fileName()));
    return jobs;
}

std::once_flag started;
std::shared_future<Result<MediaJobs *>> loaded;

} // namespace

void MediaModule::preload()
{
    std::call_once(started, [] {
        // Resolved here, on the calling thread: QCoreApplication is not for other threads.
        const QString path = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("libmediatriage_lambda_media.so"));
        loaded = std::async(std::launch::async, load, path).share();
    });
}

void MediaModule::settle()
{
    if (loaded.valid())
        loaded.wait();
}

Result<MediaJobs *> MediaModule::jobs()
{
    preload();
    return loaded.get();
}

} // namespace mt::lambda
