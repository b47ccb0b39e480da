// Browsing: open a folder (API, drop, command-line style paths), grid count and sort, thumbnails,
// metadata pane for one and several items, thumbnail size keys, preview of a photo and a video.

#include "GuiTestSupport.h"

#include "CompareWindow.h"
#include "FilterBar.h"
#include "ImageViewer.h"
#include "MainWindow.h"
#include "MediaGridModel.h"
#include "MediaGridView.h"
#include "MetadataPane.h"
#include "PreviewWindow.h"
#include "ThumbnailScheduler.h"
#include "VideoPlayer.h"
#include "Welcome.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QMediaPlayer>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace mt;
using namespace mt::app;

class TestBrowse : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void openFolderCountsAndSortsNaturally();
    void sortsByDateAndSize();
    void thumbnailsArriveForVisibleTiles();
    void selectionFillsMetadataPane();
    void multiSelectionShowsSummary();
    void droppedFolderOpens();
    void droppedFileSelectsIt();
    void ctrlPlusMinusResizeTiles();
    void previewOpensPhotoAndVideo();
    void compareSynchronizesZoom();
    void compareGroupOpensTheWholeGroup();
    void firstRunWelcomeOpensSamples();

private:
    bool openAndWait(const QString &folder, const QStringList &select = {});
    QStringList gridNames() const;
    void selectName(const QString &name, QItemSelectionModel::SelectionFlags flags = QItemSelectionModel::ClearAndSelect);

    QTemporaryDir m_generated;
    QTemporaryDir m_samples;
    MainWindow *m_window = nullptr;
};

void TestBrowse::initTestCase()
{
    // 12 images of different sizes with modification times in reverse name order.
    const QDateTime base = QDateTime::currentDateTime().addDays(-1);
    for (int i = 1; i <= 12; ++i) {
        const QString path = m_generated.filePath(QStringLiteral("img%1.png").arg(i));
        QVERIFY(guitest::writeImage(path, QSize(40 + 13 * ((i * 7) % 12), 30 + i), QColor::fromHsv(i * 25, 200, 180)));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(base.addSecs(-60 * i), QFileDevice::FileModificationTime));
    }
    QVERIFY(guitest::copySamples(m_samples.path()));
}

void TestBrowse::init()
{
    m_window = new MainWindow;
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
}

void TestBrowse::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

bool TestBrowse::openAndWait(const QString &folder, const QStringList &select)
{
    QSignalSpy loaded(m_window, &MainWindow::folderLoaded);
    m_window->openFolder(folder, select);
    return loaded.wait(10000);
}

QStringList TestBrowse::gridNames() const
{
    QStringList names;
    auto *proxy = m_window->grid()->model();
    for (int row = 0; row < proxy->rowCount(); ++row)
        names << proxy->index(row, 0).data().toString();
    return names;
}

void TestBrowse::selectName(const QString &name, QItemSelectionModel::SelectionFlags flags)
{
    auto *proxy = m_window->grid()->model();
    for (int row = 0; row < proxy->rowCount(); ++row) {
        if (proxy->index(row, 0).data().toString() == name) {
            m_window->grid()->selectionModel()->setCurrentIndex(proxy->index(row, 0), flags);
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no tile named %1").arg(name)));
}

void TestBrowse::openFolderCountsAndSortsNaturally()
{
    QVERIFY(openAndWait(m_generated.path()));
    QCOMPARE(m_window->model()->rowCount(), 12);
    const QStringList names = gridNames();
    QCOMPARE(names.first(), QStringLiteral("img1.png"));
    QCOMPARE(names.at(1), QStringLiteral("img2.png"));
    QCOMPARE(names.last(), QStringLiteral("img12.png"));
    QCOMPARE(m_window->filterBar()->count(VerdictFilter::All), 12);
}

void TestBrowse::sortsByDateAndSize()
{
    QVERIFY(openAndWait(m_generated.path()));
    m_window->setSortKey(SortKey::Date);
    QStringList names = gridNames();
    QCOMPARE(names.first(), QStringLiteral("img12.png")); // oldest
    QCOMPARE(names.last(), QStringLiteral("img1.png"));

    m_window->setSortKey(SortKey::Size);
    auto *proxy = m_window->grid()->model();
    for (int row = 1; row < proxy->rowCount(); ++row)
        QVERIFY(proxy->index(row - 1, 0).data(MediaGridModel::SizeRole).toLongLong()
                <= proxy->index(row, 0).data(MediaGridModel::SizeRole).toLongLong());
}

void TestBrowse::thumbnailsArriveForVisibleTiles()
{
    QVERIFY(openAndWait(m_generated.path()));
    auto *proxy = m_window->grid()->model();
    QTRY_VERIFY2_WITH_TIMEOUT(!proxy->index(0, 0).data(MediaGridModel::ThumbnailRole).value<QPixmap>().isNull(),
                              qPrintable(QStringLiteral("failed=%1 pending=%2 visible=%3")
                                             .arg(proxy->index(0, 0).data(MediaGridModel::ThumbnailFailedRole).toBool())
                                             .arg(m_window->thumbnailScheduler()->firstScreenRemaining())
                                             .arg(m_window->grid()->visualRect(proxy->index(0, 0)).isValid())),
                              10000);
}

void TestBrowse::selectionFillsMetadataPane()
{
    QVERIFY(openAndWait(m_samples.path()));
    QCOMPARE(m_window->model()->rowCount(), 7);
    selectName(QStringLiteral("IMG_0002.jpg"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->metadataPane()->plainText().contains(QStringLiteral("Dimensions")), 10000);
    QString text = m_window->metadataPane()->plainText();
    QVERIFY2(text.contains(QStringLiteral("IMG_0002.jpg")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("image/jpeg")));

    selectName(QStringLiteral("IMG_0006.mov"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->metadataPane()->plainText().contains(QStringLiteral("Duration")), 10000);
    text = m_window->metadataPane()->plainText();
    QVERIFY2(text.contains(QStringLiteral("Open in map")), qPrintable(text));
    // The video's duration reaches its tile badge too.
    QTRY_VERIFY(m_window->model()->index(m_window->model()->rowOf(m_samples.filePath(QStringLiteral("IMG_0006.mov"))))
                    .data(MediaGridModel::DurationRole).isValid());
}

void TestBrowse::multiSelectionShowsSummary()
{
    QVERIFY(openAndWait(m_samples.path()));
    selectName(QStringLiteral("IMG_0001.jpg"));
    selectName(QStringLiteral("IMG_0007.mp4"), QItemSelectionModel::Select);
    QCOMPARE(m_window->selectedPaths().size(), 2);
    const QString text = m_window->metadataPane()->plainText();
    QVERIFY2(text.contains(QStringLiteral("2 items selected")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Videos")));
}

void TestBrowse::droppedFolderOpens()
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_generated.path())});
    const QPoint pos = m_window->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window, &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy loaded(m_window, &MainWindow::folderLoaded);
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window, &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(loaded.wait(10000));
    QCOMPARE(QFileInfo(m_window->currentFolder()).canonicalFilePath(), QFileInfo(m_generated.path()).canonicalFilePath());
    QCOMPARE(m_window->model()->rowCount(), 12);
}

void TestBrowse::droppedFileSelectsIt()
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_samples.filePath(QStringLiteral("IMG_0005.heic")))});
    QSignalSpy loaded(m_window, &MainWindow::folderLoaded);
    // A real drop always follows an accepted enter; Qt drops the drop otherwise.
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window, &drop);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(m_window->model()->rowCount(), 7);
    QCOMPARE(m_window->selectedPaths(), QStringList{m_samples.filePath(QStringLiteral("IMG_0005.heic"))});
}

void TestBrowse::ctrlPlusMinusResizeTiles()
{
    QVERIFY(openAndWait(m_generated.path()));
    m_window->setThumbnailEdge(160);
    m_window->grid()->setFocus();
    QTest::keyClick(m_window->grid(), Qt::Key_Plus, Qt::ControlModifier);
    QCOMPARE(m_window->thumbnailEdge(), 192);
    QTest::keyClick(m_window->grid(), Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(m_window->grid(), Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(m_window->thumbnailEdge(), 128);
}

void TestBrowse::previewOpensPhotoAndVideo()
{
    QVERIFY(openAndWait(m_samples.path()));
    selectName(QStringLiteral("IMG_0002.jpg"));
    m_window->grid()->setFocus();
    QTest::keyClick(m_window->grid(), Qt::Key_Space);
    PreviewWindow *preview = m_window->previewWindow();
    QVERIFY(preview);
    QVERIFY(QTest::qWaitForWindowExposed(preview));
    QVERIFY(!preview->isShowingVideo());
    QTRY_VERIFY_WITH_TIMEOUT(!preview->imageViewer()->image().isNull(), 10000);
    // EXIF orientation 6: the stored landscape pixels come out portrait.
    const QImage shown = preview->imageViewer()->image();
    QVERIFY2(shown.height() > shown.width(), qPrintable(QStringLiteral("%1x%2").arg(shown.width()).arg(shown.height())));

    // Zoom and back to fit.
    preview->imageViewer()->zoomBy(2.0, preview->imageViewer()->rect().center());
    QVERIFY(!preview->imageViewer()->isFitting());
    QTest::keyClick(preview->imageViewer(), Qt::Key_0);
    QVERIFY(preview->imageViewer()->isFitting());

    // HEIC goes through the core decoder.
    QTest::keyClick(preview, Qt::Key_Right);
    QTest::keyClick(preview, Qt::Key_Right);
    QTest::keyClick(preview, Qt::Key_Right);
    QCOMPARE(preview->currentItem()->fileName, QStringLiteral("IMG_0005.heic"));
    QTRY_VERIFY_WITH_TIMEOUT(!preview->imageViewer()->image().isNull(), 10000);

    QTest::keyClick(preview, Qt::Key_Right);
    QCOMPARE(preview->currentItem()->fileName, QStringLiteral("IMG_0006.mov"));
    QVERIFY(preview->isShowingVideo());
    QMediaPlayer *player = preview->videoPlayer()->player();
    QCOMPARE(player->source(), QUrl::fromLocalFile(m_samples.filePath(QStringLiteral("IMG_0006.mov"))));
    QTRY_VERIFY_WITH_TIMEOUT(player->duration() > 0 || player->error() != QMediaPlayer::NoError, 10000);
    QCOMPARE(player->error(), QMediaPlayer::NoError);

    // The grid follows the preview; Esc closes it.
    QCOMPARE(m_window->selectedPaths(), QStringList{m_samples.filePath(QStringLiteral("IMG_0006.mov"))});
    QTest::keyClick(preview, Qt::Key_Escape);
    QVERIFY(!preview->isVisible());
    QCOMPARE(player->playbackState(), QMediaPlayer::StoppedState);
}

void TestBrowse::compareSynchronizesZoom()
{
    QVERIFY(openAndWait(m_samples.path()));
    selectName(QStringLiteral("IMG_0001.jpg"));
    selectName(QStringLiteral("IMG_0003.jpg"), QItemSelectionModel::Select);
    m_window->action(QStringLiteral("compare"))->trigger();
    CompareWindow *compare = m_window->compareWindow();
    QVERIFY(compare);
    QCOMPARE(compare->viewers().size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(!compare->viewers().at(0)->image().isNull() && !compare->viewers().at(1)->image().isNull(), 10000);
    ImageViewer *left = compare->viewers().at(0);
    ImageViewer *right = compare->viewers().at(1);
    left->zoomBy(3.0, left->rect().center());
    QVERIFY(!right->isFitting());
    QCOMPARE(right->zoom(), left->zoom());
    left->fitToWindow();
    QVERIFY(right->isFitting());
    compare->close();
}

void TestBrowse::compareGroupOpensTheWholeGroup()
{
    QVERIFY(openAndWait(m_samples.path()));
    // Three photos of one burst, the second the engine's pick; one photo outside any group.
    const QStringList burst{QStringLiteral("IMG_0001.jpg"), QStringLiteral("IMG_0002.jpg"), QStringLiteral("IMG_0003.jpg")};
    for (const QString &name : burst) {
        ItemVerdict v;
        v.similarGroup = QStringLiteral("4");
        v.groupKind = GroupKind::Burst;
        v.bestOfGroup = name == burst[1];
        m_window->model()->setVerdict(m_samples.filePath(name), v);
    }
    m_window->model()->setVerdict(m_samples.filePath(QStringLiteral("IMG_0004.jpg")), ItemVerdict{});

    selectName(QStringLiteral("IMG_0004.jpg"));
    m_window->action(QStringLiteral("compareGroup"))->trigger();
    QVERIFY(!m_window->compareWindow()); // not in a group: a message, no window

    selectName(burst[2]);
    m_window->action(QStringLiteral("compareGroup"))->trigger();
    CompareWindow *compare = m_window->compareWindow();
    QVERIFY(compare);
    QStringList shown;
    for (const MediaItem &item : compare->items())
        shown << item.fileName;
    QCOMPARE(shown, (QStringList{burst[1], burst[0], burst[2]})); // the keeper first, then the group in grid order
    QCOMPARE(compare->viewers().size(), 3);
    compare->close();
}

void TestBrowse::firstRunWelcomeOpensSamples()
{
    QSettings().remove(QStringLiteral("firstRunDone"));
    QMessageBox *box = showWelcomeOnFirstRun(m_window);
    QVERIFY(box);
    auto *openSamples = box->findChild<QPushButton *>(QStringLiteral("openSamples"));
    QVERIFY(openSamples);
    QSignalSpy loaded(m_window, &MainWindow::folderLoaded);
    openSamples->click();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(m_window->currentFolder(), QFileInfo(QStringLiteral(MT_SOURCE_DIR "/resources/samples")).canonicalFilePath());
    QCOMPARE(m_window->model()->rowCount(), 7);
    // Only once.
    QVERIFY(!showWelcomeOnFirstRun(m_window));
}

int main(int argc, char **argv)
{
    QTemporaryDir home;
    guitest::isolateEnvironment(home.path());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MediaTriageTest"));
    QApplication::setApplicationName(QStringLiteral("mediatriage-gui-test"));
    TestBrowse test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_browse.moc"
