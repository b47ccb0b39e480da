#include "cli/CliCommand.h"

#include "media/FolderScanner.h"
#include "metadata/MetadataFormatter.h"
#include "metadata/MetadataJson.h"
#include "metadata/MetadataReader.h"
#include "metadata/MotionPhotoReader.h"
#include "triage/TriageRun.h"

#include <QCoreApplication>
#include <QtConcurrent/QtConcurrentMap>

namespace mt::cli {

int runInfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "info", "Read what each photo and video is and what its metadata says."));
    const QCommandLineOption recursive({QStringLiteral("r"), QStringLiteral("recursive")},
                                       QCoreApplication::translate("info", "Scan subfolders too."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QCoreApplication::translate("info", "Print one JSON array, an object per item."));
    parser.addOption(recursive);
    parser.addOption(json);
    parser.addPositionalArgument(QStringLiteral("paths"), QCoreApplication::translate("info", "Files or folders."),
                                 QStringLiteral("PATH..."));
    if (const int rc = parseOrExit(parser, arguments, true); rc >= 0)
        return rc;

    const FolderScanner scanner(ScanOptions{parser.isSet(recursive)});
    const std::vector<MediaItem> items = scanner.scanPaths(parser.positionalArguments());
    // Files are independent; read them on all cores, keep the scan order for output.
    QList<Result<MediaMetadata>> results =
        QtConcurrent::blockingMapped<QList<Result<MediaMetadata>>>(items, [](const MediaItem &item) {
            return readMetadata(item);
        });
    MotionPhotoReader::attachLiveClips(items, results, TriageOptions().liveClipMaxSeconds);

    int failures = 0;
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (size_t i = 0; i < items.size(); ++i) {
        const auto &result = results[qsizetype(i)];
        if (!result)
            ++failures;
        if (parser.isSet(json)) {
            array.push_back(metadataToJson(items[i], result));
            continue;
        }
        printLine(items[i].path);
        for (const MetadataGroup &group : MetadataFormatter::paneGroups(items[i], result)) {
            printLine(QStringLiteral("  ") + group.title);
            for (const MetadataRow &row : group.rows)
                printLine(QStringLiteral("    %1: %2").arg(row.label, row.link.isEmpty() ? row.value : row.link));
        }
        printLine(QString());
    }
    if (parser.isSet(json))
        printJson(array);
    else
        // Spelled out rather than "%n item(s)": no English plural catalogue is shipped.
        printLine((items.size() == 1 ? QCoreApplication::translate("info", "1 item")
                                     : QCoreApplication::translate("info", "%1 items").arg(items.size()))
                  + (failures ? QCoreApplication::translate("info", ", %1 with problems").arg(failures) : QString()));
    return failures ? SomeItemsFailed : Success;
}

} // namespace mt::cli
