#include "SelfTest.h"
#include "selftest/SelfTestSamples.h"

#include "common/Cancellation.h"
#include "common/FfmpegUtil.h"
#include "common/Result.h"
#include "media/FolderScanner.h"
#include "metadata/MetadataReader.h"
#include "thumbs/ThumbnailGenerator.h"
#include "video/VideoCompressor.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSslSocket>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace mt::lambda {

namespace {

using json = nlohmann::ordered_json;

// A check that takes longer than this is broken, not slow: the samples are a few KB.
constexpr auto kCheckTimeout = std::chrono::seconds(30);

QString tr(const char *text)
{
    return QCoreApplication::translate("SelfTest", text);
}

Error failure(const QString &message)
{
    return makeError(Error::Code::Internal, message);
}

// Runs named checks, timing each and collecting its outcome for the report.
class CheckRunner {
public:
    using Check = std::function<Result<QString>(const CancellationToken &)>;

    void run(const char *name, const Check &check)
    {
        CancellationToken token;
        token.setTimeout(kCheckTimeout);
        QElapsedTimer timer;
        timer.start();
        const Result<QString> outcome = check(token);
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        m_allOk = m_allOk && outcome.ok();
        m_checks.push_back({{"name", name},
                            {"ok", outcome.ok()},
                            {"ms", std::round(ms * 10) / 10},
                            {"detail", (outcome.ok() ? outcome.value() : outcome.error().message).toStdString()}});
    }

    bool allOk() const { return m_allOk; }
    json checks() const { return m_checks; }

private:
    json m_checks = json::array();
    bool m_allOk = true;
};

Result<QString> checkSqlite()
{
    const QString driver = QStringLiteral("QSQLITE");
    if (!QSqlDatabase::isDriverAvailable(driver))
        return failure(tr("the Qt SQLite driver is not available (sqldrivers/libqsqlite.so not found in %1)")
                           .arg(QCoreApplication::libraryPaths().join(QLatin1Char(':'))));
    const QString connection = QStringLiteral("mt-selftest");
    QString detail;
    std::optional<Error> error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, connection);
        db.setDatabaseName(QStringLiteral(":memory:"));
        if (!db.open()) {
            error = failure(tr("cannot open an in-memory SQLite database: %1").arg(db.lastError().text()));
        } else {
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("CREATE TABLE t (v TEXT)"))
                || !query.exec(QStringLiteral("INSERT INTO t VALUES ('keep')"))
                || !query.exec(QStringLiteral("SELECT v, sqlite_version() FROM t")) || !query.next()
                || query.value(0).toString() != QLatin1String("keep"))
                error = failure(tr("SQLite round trip failed: %1").arg(query.lastError().text()));
            else
                detail = QStringLiteral("SQLite %1").arg(query.value(1).toString());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (error)
        return *error;
    return detail;
}

Result<QString> checkJpeg()
{
    QImage image(48, 32, QImage::Format_RGB32);
    image.fill(QColor(200, 120, 40));
    QByteArray bytes;
    {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, "jpeg");
        if (!writer.write(image))
            return failure(tr("cannot write JPEG (imageformats/libqjpeg.so missing?): %1").arg(writer.errorString()));
    }
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "jpeg");
    const QImage decoded = reader.read();
    if (decoded.size() != image.size())
        return failure(tr("cannot read back the JPEG just written: %1").arg(reader.errorString()));
    return QStringLiteral("48x32 round trip, %1 bytes").arg(bytes.size());
}

Result<QString> checkTls()
{
    if (!QSslSocket::supportsSsl())
        return failure(tr("no TLS: backends available: [%1], OpenSSL wanted %2 (tls/libqopensslbackend.so and "
                          "libssl.so.3 must both be found)")
                           .arg(QSslSocket::availableBackends().join(QLatin1String(", ")),
                                QSslSocket::sslLibraryBuildVersionString()));
    return QStringLiteral("%1 backend, %2").arg(QSslSocket::activeBackend(), QSslSocket::sslLibraryVersionString());
}

Result<QString> checkCodec(const char *name, bool encoder)
{
    const AVCodec *codec = encoder ? avcodec_find_encoder_by_name(name) : avcodec_find_decoder_by_name(name);
    if (!codec)
        return failure(tr("FFmpeg has no %1 %2 (libavcodec %3)")
                           .arg(encoder ? tr("encoder") : tr("decoder"), QLatin1String(name),
                                QLatin1String(LIBAVCODEC_IDENT)));
    return QStringLiteral("%1 (%2)").arg(QLatin1String(codec->name), QLatin1String(codec->long_name));
}

// The embedded samples are written out because the core reads files by path, like the Lambda
// does with what it downloads to /tmp.
Result<MediaItem> extractSample(const QTemporaryDir &dir, const QString &name, const unsigned char *data,
                                qsizetype size)
{
    const QString target = dir.filePath(name);
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(reinterpret_cast<const char *>(data), size) != size || !file.flush())
        return failure(tr("cannot write %1 to %2: %3").arg(name, dir.path(), file.errorString()));
    file.close();
    const std::vector<MediaItem> items = FolderScanner().scanPaths({target});
    if (items.size() != 1)
        return failure(tr("scanning %1 found %2 items").arg(name).arg(items.size()));
    if (!items.front().ok())
        return failure(*items.front().error);
    return items.front();
}

Result<QString> checkPhotoMetadata(const MediaItem &item)
{
    const Result<MediaMetadata> metadata = readMetadata(item);
    if (!metadata)
        return metadata.error();
    if (metadata->width.value_or(0) != 64 || metadata->make != QLatin1String("MediaTriage"))
        return failure(tr("unexpected HEIC metadata: %1x%2, make '%3' (want 64x64, 'MediaTriage')")
                           .arg(metadata->width.value_or(0))
                           .arg(metadata->height.value_or(0))
                           .arg(metadata->make));
    return QStringLiteral("%1x%2 %3 %4 (%5)")
        .arg(*metadata->width)
        .arg(metadata->height.value_or(0))
        .arg(metadata->make, metadata->model, item.mime);
}

Result<QString> checkVideoMetadata(const MediaItem &item)
{
    const Result<MediaMetadata> metadata = readMetadata(item);
    if (!metadata)
        return metadata.error();
    if (metadata->videoCodec.isEmpty() || metadata->audioCodec.isEmpty() || metadata->durationSeconds.value_or(0) <= 1)
        return failure(tr("unexpected video metadata: codec '%1', audio '%2', %3 s (want h264, aac, 1.5 s)")
                           .arg(metadata->videoCodec, metadata->audioCodec)
                           .arg(metadata->durationSeconds.value_or(0)));
    return QStringLiteral("%1x%2 %3 + %4, %5 s")
        .arg(metadata->width.value_or(0))
        .arg(metadata->height.value_or(0))
        .arg(metadata->videoCodec, metadata->audioCodec)
        .arg(*metadata->durationSeconds);
}

Result<QString> checkThumbnail(const MediaItem &item, const CancellationToken &token)
{
    const Result<QImage> thumb = ThumbnailGenerator::generate(item, 32, token);
    if (!thumb)
        return thumb.error();
    if (thumb->isNull() || std::max(thumb->width(), thumb->height()) != 32)
        return failure(tr("thumbnail has the wrong size %1x%2 (want a longest edge of 32)")
                           .arg(thumb->width())
                           .arg(thumb->height()));
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    if (!thumb->save(&buffer, "JPEG", 80))
        return failure(tr("cannot encode the thumbnail as JPEG"));
    return QStringLiteral("%1x%2, %3 bytes JPEG").arg(thumb->width()).arg(thumb->height()).arg(jpeg.size());
}

Result<QString> checkCompression(const MediaItem &item, const QTemporaryDir &dir, const CancellationToken &token)
{
    CompressionProfile profile;
    profile.preset = 12; // fastest reasonable SVT-AV1 preset: this proves the codecs, not the quality
    const Result<CompressionReport> report =
        VideoCompressor(profile).compress(item.path, dir.filePath(QStringLiteral("sample.webm")), {}, token);
    if (!report)
        return report.error();
    if (report->outputBytes <= 0 || !report->hasAudio || report->encodedFrames <= 0)
        return failure(tr("compression produced %1 bytes, %2 frames, audio %3")
                           .arg(report->outputBytes)
                           .arg(report->encodedFrames)
                           .arg(report->hasAudio ? tr("yes") : tr("no")));
    return QStringLiteral("AV1+Opus WebM %1x%2, %3 frames, %4 bytes")
        .arg(report->width)
        .arg(report->height)
        .arg(report->encodedFrames)
        .arg(report->outputBytes);
}

// Every shared object mapped into this process (the executable itself excluded), by address.
json mappedLibraries()
{
    json libraries = json::array();
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return libraries;
    std::set<std::string> seen;
    // /proc files report size 0, so atEnd() is true at once; readAll() reads until EOF instead.
    const QList<QByteArray> lines = maps.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype slash = line.indexOf('/');
        if (slash < 0)
            continue;
        std::string path = line.mid(slash).toStdString();
        const auto name = path.substr(path.rfind('/') + 1);
        const bool sharedObject = name.ends_with(".so") || name.find(".so.") != std::string::npos;
        if (sharedObject && seen.insert(path).second)
            libraries.push_back(path);
    }
    return libraries;
}

QString executablePath()
{
    return QFile::symLinkTarget(QStringLiteral("/proc/self/exe"));
}

int runChecks()
{
    ff::quietLogging();
    CheckRunner runner;
    runner.run("qt.sqlite", [](const CancellationToken &) { return checkSqlite(); });
    runner.run("qt.jpeg", [](const CancellationToken &) { return checkJpeg(); });
    runner.run("qt.tls", [](const CancellationToken &) { return checkTls(); });
    runner.run("ffmpeg.decoder.h264", [](const CancellationToken &) { return checkCodec("h264", false); });
    runner.run("ffmpeg.decoder.hevc", [](const CancellationToken &) { return checkCodec("hevc", false); });
    runner.run("ffmpeg.encoder.libsvtav1", [](const CancellationToken &) { return checkCodec("libsvtav1", true); });
    runner.run("ffmpeg.encoder.libopus", [](const CancellationToken &) { return checkCodec("libopus", true); });

    QTemporaryDir dir;
    if (!dir.isValid()) {
        runner.run("tmp", [&dir](const CancellationToken &) -> Result<QString> {
            return failure(tr("cannot create a temporary folder: %1").arg(dir.errorString()));
        });
    } else {
        const Result<MediaItem> photo =
            extractSample(dir, QStringLiteral("sample.heic"), samples::kHeic, sizeof samples::kHeic);
        const Result<MediaItem> video =
            extractSample(dir, QStringLiteral("sample.mp4"), samples::kMp4, sizeof samples::kMp4);
        const Result<MediaItem> hevc =
            extractSample(dir, QStringLiteral("sample-hevc.mp4"), samples::kHevcMp4, sizeof samples::kHevcMp4);
        const auto withItem = [](const Result<MediaItem> &item, auto &&check) -> Result<QString> {
            if (!item)
                return item.error();
            return check(item.value());
        };
        runner.run("heic.metadata", [&](const CancellationToken &) {
            return withItem(photo, [](const MediaItem &it) { return checkPhotoMetadata(it); });
        });
        runner.run("heic.thumbnail", [&](const CancellationToken &token) {
            return withItem(photo, [&token](const MediaItem &it) { return checkThumbnail(it, token); });
        });
        runner.run("video.metadata", [&](const CancellationToken &) {
            return withItem(video, [](const MediaItem &it) { return checkVideoMetadata(it); });
        });
        runner.run("video.thumbnail", [&](const CancellationToken &token) {
            return withItem(video, [&token](const MediaItem &it) { return checkThumbnail(it, token); });
        });
        // Phones record HEVC: decode some, not only find the decoder.
        runner.run("hevc.thumbnail", [&](const CancellationToken &token) {
            return withItem(hevc, [&token](const MediaItem &it) { return checkThumbnail(it, token); });
        });
        runner.run("video.compress", [&](const CancellationToken &token) {
            return withItem(video, [&](const MediaItem &it) { return checkCompression(it, dir, token); });
        });
    }

    const json report = {{"ok", runner.allOk()},
                         {"checks", runner.checks()},
                         {"executable", executablePath().toStdString()},
                         {"libraries", mappedLibraries()}};
    const std::string text = report.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return runner.allOk() ? 0 : 1;
}

} // namespace

int runSelfTest()
{
    // Plugin lookup (QCoreApplication::libraryPaths, qt.conf next to the executable) needs an
    // application object; the runtime's main may call this before creating one.
    if (QCoreApplication::instance())
        return runChecks();
    int argc = 1;
    char name[] = "bootstrap";
    char *argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    return runChecks();
}

} // namespace mt::lambda
