#include "thumbs/ThumbnailService.h"

#include "tst_thumb_support.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using mt::ThumbnailCache;
using mt::ThumbnailProvider;
using mt::ThumbnailService;
using Priority = mt::ThumbnailService::Priority;

class TestThumbnailService : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QStringList m_photos;

    ThumbnailProvider provider() const { return ThumbnailProvider(ThumbnailCache(m_dir.filePath("cache"))); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath("media")));
        // Distinct files (the cache is keyed by path), big enough that a decode takes a moment.
        for (int i = 0; i < 40; ++i) {
            QImage image(1600, 1200, QImage::Format_RGB32);
            image.fill(QColor::fromHsv(i * 9, 200, 200));
            const QString path = m_dir.filePath(QStringLiteral("media/photo-%1.jpg").arg(i, 2, 10, QChar(u'0')));
            QVERIFY(image.save(path, "JPEG", 90));
            m_photos << path;
        }
    }

    void init() { QDir(m_dir.filePath("cache")).removeRecursively(); }

    void deliversQueuedInOwnerThread()
    {
        ThumbnailService service(provider(), {2});
        QSignalSpy ready(&service, &ThumbnailService::thumbnailReady);
        QThread *deliveredIn = nullptr;
        connect(&service, &ThumbnailService::thumbnailReady, this, [&] { deliveredIn = QThread::currentThread(); });
        service.request(m_photos[0], 256);
        // Queued: nothing can arrive before the event loop runs, even if the work is done.
        QCOMPARE(ready.count(), 0);
        QVERIFY(ready.wait(10000));
        QCOMPARE(deliveredIn, QThread::currentThread());
        QCOMPARE(ready[0][0].toString(), m_photos[0]);
        QCOMPARE(ready[0][1].toInt(), 256);
        QCOMPARE(ready[0][2].value<QImage>().size(), QSize(256, 192));
        QCOMPARE(service.pendingCount(), 0);
    }

    void duplicateRequestsRunOnce()
    {
        ThumbnailService service(provider(), {1});
        QSignalSpy ready(&service, &ThumbnailService::thumbnailReady);
        for (int i = 0; i < 5; ++i)
            service.request(m_photos[1], 128);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 10000);
        QTest::qWait(100);
        QCOMPARE(ready.count(), 1);
    }

    // Many requests, half cancelled right away (scrolled past): every kept one arrives exactly
    // once, no cancelled one ever does.
    void cancelHalf()
    {
        ThumbnailService service(provider(), {2});
        QSignalSpy ready(&service, &ThumbnailService::thumbnailReady);
        QSignalSpy failed(&service, &ThumbnailService::thumbnailFailed);
        for (const QString &p : m_photos)
            service.request(p, 128, Priority::Prefetch);
        QSet<QString> kept;
        for (int i = 0; i < m_photos.size(); ++i) {
            if (i % 2)
                service.cancel(m_photos[i], 128);
            else
                kept.insert(m_photos[i]);
        }
        QCOMPARE(service.pendingCount(), int(kept.size()));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), int(kept.size()), 60000);
        service.waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), int(kept.size()));
        QCOMPARE(failed.count(), 0);
        QSet<QString> delivered;
        for (const auto &args : ready)
            delivered.insert(args[0].toString());
        QCOMPARE(delivered, kept);
    }

    void retainOnlyCancelsTheRest()
    {
        ThumbnailService service(provider(), {1});
        QSignalSpy ready(&service, &ThumbnailService::thumbnailReady);
        for (const QString &p : m_photos)
            service.request(p, 256, Priority::Prefetch);
        const QSet<QString> onScreen{m_photos[30], m_photos[31], m_photos[32]};
        service.retainOnly(onScreen);
        QCOMPARE(service.pendingCount(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 3, 30000);
        service.waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), 3);
        QSet<QString> delivered;
        for (const auto &args : ready)
            delivered.insert(args[0].toString());
        QCOMPARE(delivered, onScreen);
    }

    // With one worker busy on prefetches, an item that becomes visible jumps the queue.
    void visibleFirst()
    {
        ThumbnailService service(provider(), {1});
        QStringList order;
        connect(&service, &ThumbnailService::thumbnailReady, this,
                [&](const QString &path) { order << path; });
        for (int i = 0; i < 12; ++i)
            service.request(m_photos[i], 512, Priority::Prefetch);
        service.request(m_photos[20], 512, Priority::Visible);
        service.request(m_photos[11], 512, Priority::Visible); // a queued prefetch now on screen
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 13, 60000);
        // At most the one prefetch that had already started comes first.
        QVERIFY2(order.indexOf(m_photos[20]) <= 2, qPrintable(order.join(u',')));
        QVERIFY2(order.indexOf(m_photos[11]) <= 2, qPrintable(order.join(u',')));
    }

    void failuresAreSignalled()
    {
        const QString broken = m_dir.filePath("media/broken.jpg");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\xFF\xD8\xFF\xE0 not really");
        f.close();
        ThumbnailService service(provider(), {1});
        QSignalSpy failed(&service, &ThumbnailService::thumbnailFailed);
        service.request(broken, 256);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed[0][0].toString(), broken);
        QVERIFY(!failed[0][2].toString().isEmpty());
    }

    // Destroying the service with work queued and running returns promptly and never delivers
    // to a dead object.
    void destroyWhileBusy()
    {
        int delivered = 0;
        {
            ThumbnailService service(provider(), {2});
            connect(&service, &ThumbnailService::thumbnailReady, this, [&] { ++delivered; });
            for (const QString &p : m_photos)
                service.request(p, 1024);
            QTest::qWait(50);
        }
        QCoreApplication::processEvents();
        QVERIFY(delivered < m_photos.size());
    }
};

QTEST_GUILESS_MAIN(TestThumbnailService)
#include "tst_thumbservice.moc"
