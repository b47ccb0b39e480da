#include "metadata/MetadataFormatter.h"

#include <QTest>

using namespace mt;

namespace {

MediaItem photoItem()
{
    MediaItem item;
    item.path = QStringLiteral("/trip/IMG_0001.HEIC");
    item.fileName = QStringLiteral("IMG_0001.HEIC");
    item.kind = MediaKind::Photo;
    item.mime = QStringLiteral("image/heic");
    item.sizeBytes = 2'500'000;
    return item;
}

MediaMetadata photoMetadata()
{
    MediaMetadata md;
    md.width = 4032;
    md.height = 3024;
    CaptureTime t;
    t.dateTime = QDateTime(QDate(2019, 3, 21), QTime(11, 4, 22), Qt::OffsetFromUTC, -5 * 3600);
    t.zoneKnown = true;
    md.capturedAt = t;
    md.make = QStringLiteral("Apple");
    md.model = QStringLiteral("iPhone 7");
    md.exposureTime = 1.0 / 120;
    md.fNumber = 1.8;
    md.iso = 20;
    md.focalLength = 3.99;
    md.gps = GpsPosition{41.2203, -96.0716, 320.5};
    return md;
}

} // namespace

class TestMetadataFormatter : public QObject {
    Q_OBJECT
private slots:
    void promptBlockStartsWithNumberAndName()
    {
        const QString block = MetadataFormatter::promptBlock(7, photoItem(), photoMetadata(), {});
        QVERIFY(block.startsWith(QStringLiteral("7. IMG_0001.HEIC\n")));
        QVERIFY(block.contains(QStringLiteral("4032x3024")));
        QVERIFY(block.contains(QStringLiteral("2019-03-21 11:04:22 (UTC-05:00)")));
        QVERIFY(block.contains(QStringLiteral("Apple iPhone 7, 1/120 s, f/1.8, ISO 20, 3.99 mm")));
    }

    void locationOnlyWhenOptedIn()
    {
        QVERIFY(!MetadataFormatter::promptBlock(1, photoItem(), photoMetadata(), {false}).contains(QStringLiteral("41.22")));
        const QString withLocation = MetadataFormatter::promptBlock(1, photoItem(), photoMetadata(), {true});
        QVERIFY(withLocation.contains(QStringLiteral("location: 41.22030, -96.07160")));
    }

    void fileTimeIsMarked()
    {
        MediaMetadata md;
        CaptureTime t;
        t.dateTime = QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5));
        t.source = CaptureTime::Source::FileTime;
        md.capturedAt = t;
        QVERIFY(MetadataFormatter::promptBlock(1, photoItem(), md, {}).contains(QStringLiteral("[file time")));
        const auto groups = MetadataFormatter::paneGroups(photoItem(), md);
        bool marked = false;
        for (const auto &g : groups)
            for (const auto &r : g.rows)
                marked |= r.label == QStringLiteral("Date source");
        QVERIFY(marked);
    }

    void videoBlockSaysDurationAndAudio()
    {
        MediaItem item = photoItem();
        item.kind = MediaKind::Video;
        item.fileName = QStringLiteral("clip.mov");
        item.mime = QStringLiteral("video/quicktime");
        MediaMetadata md;
        md.durationSeconds = 12.34;
        md.fps = 29.97;
        md.videoCodec = QStringLiteral("hevc");
        const QString block = MetadataFormatter::promptBlock(2, item, md, {});
        QVERIFY(block.contains(QStringLiteral("video: duration 12.3 s, 29.97 fps, hevc, no audio")));
    }

    void paneGroupsHaveLocationWithMapLink()
    {
        const auto groups = MetadataFormatter::paneGroups(photoItem(), photoMetadata());
        QStringList titles;
        for (const auto &g : groups)
            titles << g.title;
        QCOMPARE(titles, (QStringList{"File", "Image", "Capture", "Location"}));
        const MetadataRow &map = groups.last().rows.last();
        QVERIFY(map.link.startsWith(QStringLiteral("https://www.openstreetmap.org/?mlat=41.220300&mlon=-96.071600")));
    }

    void errorShowsProblemOnly()
    {
        const Result<MediaMetadata> failed = makeError(Error::Code::Corrupt, QStringLiteral("cannot read as video: truncated"));
        const auto groups = MetadataFormatter::paneGroups(photoItem(), failed);
        QCOMPARE(groups.size(), 1);
        QCOMPARE(groups[0].rows.last().value, QStringLiteral("cannot read as video: truncated"));
    }

    void durations()
    {
        QCOMPARE(MetadataFormatter::formatDuration(1.24), QStringLiteral("1.2 s"));
        QCOMPARE(MetadataFormatter::formatDuration(75), QStringLiteral("1:15"));
        QCOMPARE(MetadataFormatter::formatDuration(3725), QStringLiteral("1:02:05"));
        QCOMPARE(formatExposureTime(1.0 / 250), QStringLiteral("1/250 s"));
        QCOMPARE(formatExposureTime(2.5), QStringLiteral("2.5 s"));
    }
};

QTEST_GUILESS_MAIN(TestMetadataFormatter)
#include "tst_metadataformatter.moc"
