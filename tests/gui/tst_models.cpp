// The grid's model and its filter proxy on their own, without a MainWindow: Qt's model tester
// watches every change (items, thumbnails, verdicts, overrides, trash and undo, filters, sorts)
// for broken model contracts, and the checks read the data a person sees in the grid.

#include "MediaFilterProxy.h"
#include "MediaGridModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QPixmap>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace mt;
using namespace mt::app;

namespace {

const QString kDir = QStringLiteral("/media/trip");

MediaItem makeItem(const QString &name, MediaKind kind, qint64 size, int day, std::optional<QString> error = {})
{
    MediaItem item;
    item.path = kDir + QLatin1Char('/') + name;
    item.fileName = name;
    item.kind = kind;
    item.mime = kind == MediaKind::Video ? QStringLiteral("video/mp4")
              : name.endsWith(QLatin1String(".heic")) ? QStringLiteral("image/heic") : QStringLiteral("image/jpeg");
    item.sizeBytes = size;
    item.modified = QDateTime(QDate(2026, 7, day), QTime(12, 0), Qt::UTC);
    item.error = std::move(error);
    return item;
}

// The scanner's natural order: IMG_2 before IMG_10.
std::vector<MediaItem> folder()
{
    return {makeItem(QStringLiteral("IMG_1.jpg"), MediaKind::Photo, 3000, 5),
            makeItem(QStringLiteral("IMG_2.heic"), MediaKind::Photo, 1000, 3),
            makeItem(QStringLiteral("IMG_3.jpg"), MediaKind::Photo, 5000, 1),
            makeItem(QStringLiteral("IMG_10.mp4"), MediaKind::Video, 9000, 2),
            makeItem(QStringLiteral("IMG_11.jpg"), MediaKind::Photo, 2000, 4),
            makeItem(QStringLiteral("IMG_12.jpg"), MediaKind::Photo, 10, 6, QStringLiteral("not an image"))};
}

QString path(const QString &name)
{
    return kDir + QLatin1Char('/') + name;
}

ItemVerdict verdict(VerdictKind kind, const QString &reason, const QString &group = {}, bool best = false)
{
    ItemVerdict v;
    v.kind = kind;
    v.reason = reason;
    v.source = VerdictSource::Local;
    v.contentHash = QStringLiteral("hash-") + reason;
    v.similarGroup = group;
    v.bestOfGroup = best;
    return v;
}

// A reviewed folder: engine verdicts for most, a burst of three, a failed verdict, the person's
// decision on one, nothing for the file the scanner could not read.
void review(MediaGridModel &model)
{
    model.setVerdict(path(QStringLiteral("IMG_1.jpg")), verdict(VerdictKind::Keep, QStringLiteral("sharp"), QStringLiteral("0"), true));
    model.setVerdict(path(QStringLiteral("IMG_2.heic")), verdict(VerdictKind::Discard, QStringLiteral("blurred"), QStringLiteral("0")));
    model.setVerdict(path(QStringLiteral("IMG_3.jpg")), verdict(VerdictKind::Keep, QStringLiteral("fine"), QStringLiteral("0")));
    model.setVerdict(path(QStringLiteral("IMG_10.mp4")), verdict(VerdictKind::Error, QStringLiteral("decoder failed")));
    model.setVerdict(path(QStringLiteral("IMG_11.jpg")), verdict(VerdictKind::Keep, QStringLiteral("ok")));
    model.setOverride(path(QStringLiteral("IMG_11.jpg")), false);
}

QStringList names(const QAbstractItemModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data().toString();
    return out;
}

QPixmap tile(QColor color)
{
    QPixmap pixmap(16, 12);
    pixmap.fill(color);
    return pixmap;
}

} // namespace

Q_DECLARE_METATYPE(mt::app::VerdictFilter)
Q_DECLARE_METATYPE(mt::app::SortKey)

class TestModels : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void modelContractHoldsThroughEveryChange();
    void rolesShowWhatThePersonSees();
    void thumbnailsLiveAndDieWithTheirRow();
    void engineAnswerKeepsThePersonsDecision();
    void trashAndUndoRestoreRowsInNaturalOrder();
    void filterShowsMatchingRows_data();
    void filterShowsMatchingRows();
    void filterFollowsDecisions();
    void sortKeys_data();
    void sortKeys();
    void similarViewPutsBestFirst();

private:
    std::unique_ptr<MediaGridModel> m_model;
    std::unique_ptr<MediaFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void TestModels::init()
{
    m_model = std::make_unique<MediaGridModel>();
    m_proxy = std::make_unique<MediaFilterProxy>();
    // Attached before anything happens, so every later change is checked against the contract.
    m_modelTester = std::make_unique<QAbstractItemModelTester>(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxy->setSourceModel(m_model.get());
    m_proxy->setSortKey(SortKey::Name);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setItems(folder());
}

void TestModels::cleanup()
{
    m_proxyTester.reset();
    m_modelTester.reset();
    m_proxy.reset();
    m_model.reset();
}

void TestModels::modelContractHoldsThroughEveryChange()
{
    QCOMPARE(m_model->rowCount(), 6);
    m_model->setThumbnail(path(QStringLiteral("IMG_1.jpg")), tile(Qt::red));
    m_model->setThumbnailFailed(path(QStringLiteral("IMG_12.jpg")));
    m_model->setDuration(path(QStringLiteral("IMG_10.mp4")), 12.5);
    review(*m_model);
    m_model->setOverride(path(QStringLiteral("IMG_2.heic")), true);
    m_model->setOverride(path(QStringLiteral("IMG_2.heic")), std::nullopt);
    for (const VerdictFilter filter : {VerdictFilter::Keep, VerdictFilter::Discard, VerdictFilter::Similar, VerdictFilter::Errors,
                                       VerdictFilter::Unreviewed, VerdictFilter::All}) {
        m_proxy->setVerdictFilter(filter);
        m_model->removePaths({path(QStringLiteral("IMG_2.heic")), path(QStringLiteral("IMG_11.jpg"))});
        m_model->insertItems({folder().at(4), folder().at(1)});
    }
    m_proxy->setSortKey(SortKey::Size);
    m_proxy->setSortKey(SortKey::Date, Qt::DescendingOrder);
    m_model->dropThumbnailsExcept({});
    m_model->clearThumbnails();
    m_model->clearVerdicts();
    m_model->setItems({});
    QCOMPARE(m_proxy->rowCount(), 0);
    // Unknown paths are ignored, never a new row.
    m_model->setVerdict(path(QStringLiteral("gone.jpg")), verdict(VerdictKind::Keep, QStringLiteral("x")));
    m_model->setThumbnail(path(QStringLiteral("gone.jpg")), tile(Qt::blue));
    QCOMPARE(m_model->rowCount(), 0);
}

void TestModels::rolesShowWhatThePersonSees()
{
    review(*m_model);
    m_model->setDuration(path(QStringLiteral("IMG_10.mp4")), 12.5);
    const auto at = [this](const QString &name) { return m_model->indexOf(path(name)); };

    const QModelIndex heic = at(QStringLiteral("IMG_2.heic"));
    QCOMPARE(heic.data(Qt::DisplayRole).toString(), QStringLiteral("IMG_2.heic"));
    QCOMPARE(heic.data(MediaGridModel::PathRole).toString(), path(QStringLiteral("IMG_2.heic")));
    QCOMPARE(heic.data(MediaGridModel::KindRole).toInt(), int(MediaKind::Photo));
    QCOMPARE(heic.data(MediaGridModel::SizeRole).toLongLong(), 1000);
    QVERIFY(heic.data(MediaGridModel::HeicRole).toBool());
    QCOMPARE(heic.data(MediaGridModel::VerdictRole).toInt(), int(VerdictKind::Discard));
    QCOMPARE(heic.data(Qt::ToolTipRole).toString(), QStringLiteral("IMG_2.heic\nblurred"));
    QCOMPARE(heic.data(MediaGridModel::SimilarGroupRole).toString(), QStringLiteral("0"));
    QVERIFY(!heic.data(MediaGridModel::BestOfGroupRole).toBool());
    QVERIFY(!heic.data(MediaGridModel::DurationRole).isValid());

    const QModelIndex video = at(QStringLiteral("IMG_10.mp4"));
    QCOMPARE(video.data(MediaGridModel::KindRole).toInt(), int(MediaKind::Video));
    QCOMPARE(video.data(MediaGridModel::DurationRole).toDouble(), 12.5);
    QCOMPARE(video.data(MediaGridModel::VerdictRole).toInt(), int(VerdictKind::Error));
    QCOMPARE(video.data(MediaGridModel::ErrorRole).toString(), QStringLiteral("decoder failed"));

    // The person's X wins over the engine's keep; the engine's reason stays for the tooltip.
    const QModelIndex decided = at(QStringLiteral("IMG_11.jpg"));
    QCOMPARE(decided.data(MediaGridModel::VerdictRole).toInt(), int(VerdictKind::Discard));
    QVERIFY(decided.data(MediaGridModel::OverriddenRole).toBool());
    QCOMPARE(decided.data(MediaGridModel::ReasonRole).toString(), QStringLiteral("ok"));

    const QModelIndex unreadable = at(QStringLiteral("IMG_12.jpg"));
    QCOMPARE(unreadable.data(MediaGridModel::VerdictRole).toInt(), -1);
    QCOMPARE(unreadable.data(MediaGridModel::ErrorRole).toString(), QStringLiteral("not an image"));
    QCOMPARE(unreadable.data(Qt::ToolTipRole).toString(), QStringLiteral("IMG_12.jpg\nnot an image"));
    QVERIFY(!unreadable.data(MediaGridModel::OverriddenRole).toBool());
    QVERIFY(!m_model->verdict(unreadable.data(MediaGridModel::PathRole).toString()));

    // A decision on an item the engine never saw makes a verdict of its own.
    m_model->setOverride(path(QStringLiteral("IMG_12.jpg")), true);
    QCOMPARE(unreadable.data(MediaGridModel::VerdictRole).toInt(), int(VerdictKind::Keep));
    QCOMPARE(unreadable.data(MediaGridModel::ReasonRole).toString(), MediaGridModel::tr("decided by you"));
}

void TestModels::thumbnailsLiveAndDieWithTheirRow()
{
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    const QString first = path(QStringLiteral("IMG_1.jpg"));
    const QString video = path(QStringLiteral("IMG_10.mp4"));
    QVERIFY(!m_model->indexOf(first).data(MediaGridModel::ThumbnailRole).isValid());
    m_model->setThumbnail(first, tile(Qt::red));
    m_model->setThumbnail(video, tile(Qt::green));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{MediaGridModel::ThumbnailRole});
    QCOMPARE(m_model->thumbnailCount(), 2);
    const QImage shown = m_model->indexOf(first).data(MediaGridModel::ThumbnailRole).value<QPixmap>().toImage();
    QCOMPARE(shown.pixelColor(3, 3), QColor(Qt::red));

    // A failure, then a late success: the tile shows the thumbnail, not the failure mark.
    m_model->setThumbnailFailed(path(QStringLiteral("IMG_3.jpg")));
    QVERIFY(m_model->indexOf(path(QStringLiteral("IMG_3.jpg"))).data(MediaGridModel::ThumbnailFailedRole).toBool());
    m_model->setThumbnail(path(QStringLiteral("IMG_3.jpg")), tile(Qt::blue));
    QVERIFY(!m_model->indexOf(path(QStringLiteral("IMG_3.jpg"))).data(MediaGridModel::ThumbnailFailedRole).toBool());

    m_model->dropThumbnailsExcept({video});
    QCOMPARE(m_model->thumbnailCount(), 1);
    QVERIFY(!m_model->hasThumbnail(first));
    QVERIFY(m_model->hasThumbnail(video));

    // Trashed and restored: the restored row starts without the old pixmap.
    m_model->removePaths({video});
    QCOMPARE(m_model->thumbnailCount(), 0);
    m_model->insertItems({folder().at(3)});
    QVERIFY(!m_model->hasThumbnail(video));
    QVERIFY(!m_model->indexOf(video).data(MediaGridModel::DurationRole).isValid());
}

void TestModels::engineAnswerKeepsThePersonsDecision()
{
    const QString p = path(QStringLiteral("IMG_3.jpg"));
    QSignalSpy verdicts(m_model.get(), &MediaGridModel::verdictsChanged);
    m_model->setOverride(p, false);
    m_model->setVerdict(p, verdict(VerdictKind::Keep, QStringLiteral("fine")));
    QCOMPARE(verdicts.count(), 2);
    QCOMPARE(m_model->verdict(p)->overrideKeep, std::optional<bool>(false));
    QVERIFY(!m_model->verdict(p)->effectiveKeep());
    QCOMPARE(m_model->verdict(p)->reason, QStringLiteral("fine"));
    m_model->setOverride(p, std::nullopt);
    QVERIFY(m_model->verdict(p)->effectiveKeep());
    QVERIFY(!m_model->indexOf(p).data(MediaGridModel::OverriddenRole).toBool());
}

void TestModels::trashAndUndoRestoreRowsInNaturalOrder()
{
    review(*m_model);
    m_model->setThumbnail(path(QStringLiteral("IMG_11.jpg")), tile(Qt::red));
    m_model->removePaths({path(QStringLiteral("IMG_2.heic")), path(QStringLiteral("IMG_10.mp4")), path(QStringLiteral("nope.jpg"))});
    QCOMPARE(names(*m_model), (QStringList{QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_3.jpg"), QStringLiteral("IMG_11.jpg"),
                                           QStringLiteral("IMG_12.jpg")}));
    QCOMPARE(m_model->rowOf(path(QStringLiteral("IMG_11.jpg"))), 2);
    QCOMPARE(m_model->rowOf(path(QStringLiteral("IMG_2.heic"))), -1);
    QVERIFY(!m_model->verdict(path(QStringLiteral("IMG_2.heic"))));
    // The rows that stayed keep their own state.
    QVERIFY(m_model->hasThumbnail(path(QStringLiteral("IMG_11.jpg"))));
    QVERIFY(m_model->verdict(path(QStringLiteral("IMG_11.jpg")))->overrideKeep.has_value());
    QCOMPARE(m_proxy->rowCount(), 4);

    m_model->insertItems({folder().at(3), folder().at(1), folder().at(0)}); // IMG_1 is already there
    QCOMPARE(names(*m_model), names(*m_proxy));
    QCOMPARE(names(*m_model), (QStringList{QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_3.jpg"),
                                           QStringLiteral("IMG_10.mp4"), QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_12.jpg")}));
    for (int row = 0; row < m_model->rowCount(); ++row)
        QCOMPARE(m_model->rowOf(m_model->item(row).path), row);
    QCOMPARE(m_model->indexOf(path(QStringLiteral("IMG_2.heic"))).data(MediaGridModel::VerdictRole).toInt(), -1);
    QVERIFY(m_model->hasThumbnail(path(QStringLiteral("IMG_11.jpg"))));
}

void TestModels::filterShowsMatchingRows_data()
{
    QTest::addColumn<VerdictFilter>("filter");
    QTest::addColumn<QStringList>("shown");
    QTest::addColumn<int>("videos");
    QTest::newRow("all") << VerdictFilter::All
                         << QStringList{QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_3.jpg"),
                                        QStringLiteral("IMG_10.mp4"), QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_12.jpg")}
                         << 1;
    QTest::newRow("keep") << VerdictFilter::Keep << QStringList{QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_3.jpg")} << 0;
    QTest::newRow("discard") << VerdictFilter::Discard << QStringList{QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_11.jpg")} << 0;
    QTest::newRow("similar, best first") << VerdictFilter::Similar
                                         << QStringList{QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_3.jpg")}
                                         << 0;
    QTest::newRow("errors: verdict and scan") << VerdictFilter::Errors
                                              << QStringList{QStringLiteral("IMG_10.mp4"), QStringLiteral("IMG_12.jpg")} << 1;
    QTest::newRow("unreviewed") << VerdictFilter::Unreviewed
                                << QStringList{QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_3.jpg"),
                                               QStringLiteral("IMG_10.mp4"), QStringLiteral("IMG_12.jpg")}
                                << 1;
}

void TestModels::filterShowsMatchingRows()
{
    QFETCH(VerdictFilter, filter);
    QFETCH(QStringList, shown);
    QFETCH(int, videos);
    review(*m_model);
    m_proxy->setVerdictFilter(filter);
    QCOMPARE(m_proxy->verdictFilter(), filter);
    QCOMPARE(names(*m_proxy), shown);
    int videoRows = 0;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        videoRows += index.data(MediaGridModel::KindRole).toInt() == int(MediaKind::Video) ? 1 : 0;
        // What the filter bar counts matches what the grid shows.
        QVERIFY(MediaFilterProxy::matches(m_proxy->mapToSource(index), filter));
    }
    QCOMPARE(videoRows, videos);
    m_proxy->setVerdictFilter(VerdictFilter::All);
    QCOMPARE(m_proxy->rowCount(), 6);
}

void TestModels::filterFollowsDecisions()
{
    review(*m_model);
    m_proxy->setVerdictFilter(VerdictFilter::Unreviewed);
    QCOMPARE(m_proxy->rowCount(), 5);
    // Deciding empties "Unreviewed" as the person works through it; clearing brings it back.
    m_model->setOverride(path(QStringLiteral("IMG_1.jpg")), true);
    m_model->setOverride(path(QStringLiteral("IMG_12.jpg")), false);
    QCOMPARE(names(*m_proxy), (QStringList{QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_3.jpg"), QStringLiteral("IMG_10.mp4")}));
    m_model->setOverride(path(QStringLiteral("IMG_1.jpg")), std::nullopt);
    QCOMPARE(m_proxy->rowCount(), 4);

    m_proxy->setVerdictFilter(VerdictFilter::Discard);
    QCOMPARE(names(*m_proxy), (QStringList{QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_12.jpg")}));
    m_model->setOverride(path(QStringLiteral("IMG_2.heic")), true);
    QCOMPARE(names(*m_proxy), (QStringList{QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_12.jpg")}));
    // Thumbnails arriving never re-filter or move rows.
    QSignalSpy moved(m_proxy.get(), &QAbstractItemModel::layoutChanged);
    QSignalSpy removed(m_proxy.get(), &QAbstractItemModel::rowsRemoved);
    m_model->setThumbnail(path(QStringLiteral("IMG_11.jpg")), tile(Qt::red));
    QCOMPARE(moved.count() + removed.count(), 0);
    // Trash the discards, undo: they come back into the filtered view.
    m_model->removePaths({path(QStringLiteral("IMG_11.jpg")), path(QStringLiteral("IMG_12.jpg"))});
    QCOMPARE(m_proxy->rowCount(), 0);
    m_model->insertItems({folder().at(4)});
    QCOMPARE(m_proxy->rowCount(), 0); // restored without a verdict: not a discard yet
    ItemVerdict restored = verdict(VerdictKind::Keep, QStringLiteral("ok"));
    restored.overrideKeep = false;
    m_model->setVerdict(path(QStringLiteral("IMG_11.jpg")), restored);
    QCOMPARE(names(*m_proxy), QStringList{QStringLiteral("IMG_11.jpg")});
}

void TestModels::sortKeys_data()
{
    QTest::addColumn<SortKey>("key");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<QStringList>("shown");
    QTest::newRow("name, natural") << SortKey::Name << Qt::AscendingOrder
                                   << QStringList{QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_3.jpg"),
                                                  QStringLiteral("IMG_10.mp4"), QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_12.jpg")};
    QTest::newRow("date") << SortKey::Date << Qt::AscendingOrder
                          << QStringList{QStringLiteral("IMG_3.jpg"), QStringLiteral("IMG_10.mp4"), QStringLiteral("IMG_2.heic"),
                                         QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_1.jpg"), QStringLiteral("IMG_12.jpg")};
    QTest::newRow("size, largest first") << SortKey::Size << Qt::DescendingOrder
                                         << QStringList{QStringLiteral("IMG_10.mp4"), QStringLiteral("IMG_3.jpg"), QStringLiteral("IMG_1.jpg"),
                                                        QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_12.jpg")};
}

void TestModels::sortKeys()
{
    QFETCH(SortKey, key);
    QFETCH(Qt::SortOrder, order);
    QFETCH(QStringList, shown);
    m_proxy->setSortKey(key, order);
    QCOMPARE(m_proxy->sortKey(), key);
    QCOMPARE(names(*m_proxy), shown);
    // A restored item lands in its sorted place.
    m_model->removePaths({path(QStringLiteral("IMG_3.jpg"))});
    m_model->insertItems({folder().at(2)});
    QCOMPARE(names(*m_proxy), shown);
}

void TestModels::similarViewPutsBestFirst()
{
    // Two bursts; each group's best leads it whatever its name.
    m_model->setVerdict(path(QStringLiteral("IMG_1.jpg")), verdict(VerdictKind::Keep, QStringLiteral("a"), QStringLiteral("1")));
    m_model->setVerdict(path(QStringLiteral("IMG_3.jpg")), verdict(VerdictKind::Keep, QStringLiteral("b"), QStringLiteral("1"), true));
    m_model->setVerdict(path(QStringLiteral("IMG_11.jpg")), verdict(VerdictKind::Keep, QStringLiteral("c"), QStringLiteral("0"), true));
    m_model->setVerdict(path(QStringLiteral("IMG_2.heic")), verdict(VerdictKind::Discard, QStringLiteral("d"), QStringLiteral("0")));
    m_proxy->setVerdictFilter(VerdictFilter::Similar);
    QCOMPARE(names(*m_proxy), (QStringList{QStringLiteral("IMG_11.jpg"), QStringLiteral("IMG_2.heic"), QStringLiteral("IMG_3.jpg"),
                                           QStringLiteral("IMG_1.jpg")}));
    m_proxy->setVerdictFilter(VerdictFilter::All);
    QCOMPARE(m_proxy->index(0, 0).data().toString(), QStringLiteral("IMG_1.jpg"));
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
