// Real camera and phone files from ../shared/testdata/media, checked against its expected.tsv.
#include "common/HeifUtil.h"
#include "media/MediaType.h"
#include "metadata/HeifBoxProbe.h"
#include "metadata/MetadataReader.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <QtEndian>

#include <cmath>

#include <libheif/heif.h>

using namespace mt;

class TestRealMedia : public QObject {
    Q_OBJECT
private:
    QString m_dir = QStringLiteral(MT_SHARED_MEDIA_DIR);

private slots:
    void expected_data()
    {
        QTest::addColumn<QStringList>("row");
        QFile tsv(m_dir + QStringLiteral("/expected.tsv"));
        if (!tsv.open(QIODevice::ReadOnly))
            QSKIP("../shared/testdata/media is not present");
        const QStringList header = QString::fromUtf8(tsv.readLine()).trimmed().split(u'\t');
        QCOMPARE(header.mid(0, 10), (QStringList{"file", "kind", "width", "height", "captured_at", "gps_lat", "gps_lon",
                                                 "make", "model", "duration_s"}));
        QCOMPARE(header.value(12), QStringLiteral("decodes"));
        while (!tsv.atEnd()) {
            const QStringList row = QString::fromUtf8(tsv.readLine()).chopped(1).split(u'\t');
            if (row.size() >= 13)
                QTest::newRow(qPrintable(row[0])) << row;
        }
    }

    void expected()
    {
        QFETCH(QStringList, row);
        const MediaItem item = inspectFile(m_dir + u'/' + row[0]);
        QVERIFY2(item.ok(), qPrintable(item.error.value_or(QString())));
        QCOMPARE(kindName(item.kind), row[1]);
        const auto md = readMetadata(item);
        QVERIFY2(md.ok(), md.ok() ? "" : qPrintable(md.error().message));
        QCOMPARE(md->width.value_or(-1), row[2].toInt());
        QCOMPARE(md->height.value_or(-1), row[3].toInt());
        if (!row[4].isEmpty()) {
            QVERIFY(md->capturedAt.has_value());
            QVERIFY(md->capturedAt->source != CaptureTime::Source::FileTime);
            QCOMPARE(md->capturedAt->toIso().left(19), row[4]);
        } else {
            QVERIFY(!md->capturedAt || md->capturedAt->source == CaptureTime::Source::FileTime);
        }
        QCOMPARE(md->gps.has_value(), !row[5].isEmpty());
        if (md->gps) {
            QVERIFY2(std::abs(md->gps->latitude - row[5].toDouble()) < 1e-4, qPrintable(QString::number(md->gps->latitude, 'f', 6)));
            QVERIFY2(std::abs(md->gps->longitude - row[6].toDouble()) < 1e-4, qPrintable(QString::number(md->gps->longitude, 'f', 6)));
        }
        QCOMPARE(md->make, row[7]);
        QCOMPARE(md->model, row[8]);
        if (!row[9].isEmpty())
            QVERIFY(std::abs(md->durationSeconds.value_or(0) - row[9].toDouble()) < 0.01);
    }

    // The header-only size probe (used when libheif refuses a damaged file) agrees with libheif
    // on every intact real HEIC, grids and irot included.
    void boxProbeAgreesWithLibheif()
    {
        const QStringList files = QDir(m_dir).entryList({QStringLiteral("*.heic")});
        if (files.isEmpty())
            QSKIP("../shared/testdata/media is not present");
        int compared = 0;
        for (const QString &name : files) {
            auto heif = HeifFile::open(m_dir + u'/' + name);
            if (!heif)
                continue;
            auto handle = (*heif)->primaryImage();
            QVERIFY(handle.ok());
            QFile f(m_dir + u'/' + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            const auto probed = probeHeifPrimarySize(bytes);
            QVERIFY2(probed.has_value(), qPrintable(name));
            QCOMPARE(*probed, QSize(heif_image_handle_get_width(handle->get()), heif_image_handle_get_height(handle->get())));
            ++compared;
        }
        QVERIFY(compared >= 4);
    }

    // Found by fuzz_heif_box_probe: a version-1 pitm box too short for its 4-byte item id made the
    // probe read past the end of the file (a memory-mapped one at a page boundary crashes). The
    // bytes past the view name item 1, so reading them would "find" its 64x48 size.
    void boxProbeStaysInsideShortBoxes()
    {
        const auto box = [](const char *type, const QByteArray &payload) {
            QByteArray b(4, '\0');
            qToBigEndian<quint32>(quint32(8 + payload.size()), b.data());
            return b + QByteArray(type, 4) + payload;
        };
        const QByteArray ispe = box("ispe", QByteArray::fromHex("00000000" "00000040" "00000030"));
        const QByteArray ipma = box("ipma", QByteArray::fromHex("00000000" "00000001" "0001" "01" "81"));
        const QByteArray iprp = box("iprp", box("ipco", ispe) + ipma);
        const QByteArray intact = box("meta", QByteArray(4, '\0') + iprp + box("pitm", QByteArray::fromHex("01000000" "00000001")));
        QCOMPARE(probeHeifPrimarySize(intact), std::optional<QSize>(QSize(64, 48)));
        const QByteArray cut = box("meta", QByteArray(4, '\0') + iprp + box("pitm", QByteArray::fromHex("01000000" "0000")));
        const QByteArray withBytesAfter = cut + QByteArray::fromHex("0001");
        QCOMPARE(probeHeifPrimarySize(QByteArrayView(withBytesAfter).first(cut.size())), std::optional<QSize>());
    }
};

QTEST_GUILESS_MAIN(TestRealMedia)
#include "tst_realmedia.moc"
