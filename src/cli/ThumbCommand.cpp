#include "cli/CliCommand.h"

#include "cli/InterruptGuard.h"

#include "media/FolderScanner.h"
#include "platform/FileNameCase.h"
#include "thumbs/ThumbnailGenerator.h"
#include "thumbs/ThumbnailProvider.h"
#include "thumbs/ThumbnailSize.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QLoggingCategory>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <chrono>

namespace mt::cli {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("thumb", text); }

struct Job {
    MediaItem item;
    QString outFile; // empty: use the shared cache
};

struct Outcome {
    QString thumbnail;
    QSize size;
    bool cached = false;
    QString error;
};

// "IMG_1.jpg.png", and "IMG_1.jpg (2).png" for a second input of the same name from another
// folder, so no thumbnail silently overwrites another; "img_1.JPG" counts as the same name where
// the output folder does not tell case apart (macOS, Windows, FAT cards).
QString uniqueOutputName(const QString &fileName, QSet<QString> &taken, bool caseInsensitive)
{
    QString name = fileName + QStringLiteral(".png");
    for (int n = 2; taken.contains(FileNameCase::collisionKey(name, caseInsensitive)); ++n)
        name = QStringLiteral("%1 (%2).png").arg(fileName).arg(n);
    taken.insert(FileNameCase::collisionKey(name, caseInsensitive));
    return name;
}

Outcome makeOne(const Job &job, int size, std::chrono::milliseconds timeout, const CancellationToken &interrupt)
{
    Outcome out;
    // Files not started when Ctrl-C came are not started at all.
    if (interrupt.isCancelled()) {
        out.error = tr("interrupted");
        return out;
    }
    CancellationToken token;
    token.setTimeout(timeout);
    if (job.outFile.isEmpty()) {
        const auto thumb = ThumbnailProvider().get(job.item.path, size, token, ThumbnailProvider::Pixels::FileOnly);
        if (!thumb) {
            out.error = thumb.error().message;
            return out;
        }
        out.thumbnail = thumb->file;
        out.size = thumb->size;
        out.cached = thumb->fromCache;
        return out;
    }
    const auto image = ThumbnailGenerator::generate(job.item, size, token);
    if (!image) {
        out.error = image.error().message;
        return out;
    }
    QImageWriter writer(job.outFile, "png");
    writer.setQuality(70);
    if (!writer.write(*image)) {
        out.error = tr("cannot write %1: %2").arg(job.outFile, writer.errorString());
        return out;
    }
    out.thumbnail = job.outFile;
    out.size = image->size();
    return out;
}

// Prints one line (or JSON entry) per file in scan order; returns how many failed.
int printOutcomes(const std::vector<Job> &jobs, const QList<Outcome> &outcomes, bool asJson)
{
    int failures = 0;
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (size_t i = 0; i < jobs.size(); ++i) {
        const Outcome &o = outcomes[qsizetype(i)];
        const QString &path = jobs[i].item.path;
        if (!o.error.isEmpty())
            ++failures;
        if (asJson) {
            nlohmann::ordered_json entry;
            entry["path"] = path.toStdString();
            entry["thumbnail"] = o.error.isEmpty() ? nlohmann::ordered_json(o.thumbnail.toStdString()) : nullptr;
            entry["width"] = o.error.isEmpty() ? nlohmann::ordered_json(o.size.width()) : nullptr;
            entry["height"] = o.error.isEmpty() ? nlohmann::ordered_json(o.size.height()) : nullptr;
            entry["cached"] = o.cached;
            entry["error"] = o.error.isEmpty() ? nullptr : nlohmann::ordered_json(o.error.toStdString());
            array.push_back(std::move(entry));
        } else if (o.error.isEmpty()) {
            printLine(QStringLiteral("%1 -> %2 (%3×%4%5)")
                          .arg(path, o.thumbnail)
                          .arg(o.size.width())
                          .arg(o.size.height())
                          .arg(o.cached ? tr(", cached") : QString()));
        } else {
            printError(QStringLiteral("%1: %2").arg(path, o.error));
        }
    }
    if (asJson)
        printJson(array);
    return failures;
}

} // namespace

int runThumb(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Make upright thumbnails of photos (JPEG, PNG, GIF, WebP, HEIC/HEIF/AVIF) and videos.\n"
        "Without --out they go to the thumbnail cache (on Linux the shared freedesktop one,\n"
        "$XDG_CACHE_HOME/thumbnails, where file managers find them too; on macOS and Windows the app's\n"
        "cache folder) and are reused while the file is unchanged."));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
                                        tr("Longest edge in pixels: 128, 256, 512 or 1024 (any size up to 4096 with --out). "
                                           "Small originals are never enlarged. Default 256."),
                                        QStringLiteral("N"), QStringLiteral("256"));
    const QCommandLineOption outOption(QStringLiteral("out"),
                                       tr("Write DIR/<file name>.png instead of using the shared cache."), QStringLiteral("DIR"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  tr("Print one JSON array of {path, thumbnail, width, height, cached, error}."));
    const QCommandLineOption recursive({QStringLiteral("r"), QStringLiteral("recursive")}, tr("Scan subfolders too."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"), tr("Give up on one file after this many seconds. Default 30."),
                                           QStringLiteral("SECONDS"), QStringLiteral("30"));
    parser.addOption(sizeOption);
    parser.addOption(outOption);
    parser.addOption(json);
    parser.addOption(recursive);
    parser.addOption(timeoutOption);
    parser.addPositionalArgument(QStringLiteral("paths"), tr("Files or folders."), QStringLiteral("PATH..."));
    if (const int rc = parseOrExit(parser, arguments, true); rc >= 0)
        return rc;

    // Decoders warn about damaged data on stderr; the per-file error or thumbnail says it better.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.gui.imageio*=false"));

    bool sizeOk = false;
    const int size = parser.value(sizeOption).toInt(&sizeOk);
    const bool toFolder = parser.isSet(outOption);
    if (!sizeOk || size < 1 || size > 4096 || (!toFolder && !isStandardThumbnailSize(size))) {
        printError(toFolder ? tr("--size must be a number of pixels from 1 to 4096.")
                            : tr("--size must be 128, 256, 512 or 1024 for the shared thumbnail cache (or use --out)."));
        return UsageError;
    }
    bool timeoutOk = false;
    const double timeoutSeconds = parser.value(timeoutOption).toDouble(&timeoutOk);
    if (!timeoutOk || timeoutSeconds <= 0) {
        printError(tr("--timeout must be a positive number of seconds."));
        return UsageError;
    }
    const auto timeout = std::chrono::milliseconds(qint64(timeoutSeconds * 1000));

    QString outDir;
    if (toFolder) {
        outDir = QFileInfo(parser.value(outOption)).absoluteFilePath();
        if (!QDir().mkpath(outDir)) {
            printError(tr("cannot create the output folder %1").arg(outDir));
            return UsageError;
        }
    }

    const FolderScanner scanner(ScanOptions{parser.isSet(recursive)});
    std::vector<Job> jobs;
    QSet<QString> taken;
    const bool caseInsensitive = toFolder && FileNameCase::isCaseInsensitive(outDir);
    for (MediaItem &item : scanner.scanPaths(parser.positionalArguments())) {
        Job job{std::move(item), {}};
        if (toFolder)
            job.outFile = outDir + u'/' + uniqueOutputName(job.item.fileName, taken, caseInsensitive);
        jobs.push_back(std::move(job));
    }
    CancellationToken interrupt;
    InterruptGuard guard(interrupt);
    // Files are independent: all cores, output in scan order.
    const QList<Outcome> outcomes = QtConcurrent::blockingMapped<QList<Outcome>>(
        jobs, [size, timeout, interrupt](const Job &job) { return makeOne(job, size, timeout, interrupt); });

    const int failures = printOutcomes(jobs, outcomes, parser.isSet(json));
    if (guard.interrupted())
        return guard.exitCode();
    return failures ? SomeItemsFailed : Success;
}

} // namespace mt::cli
