// Triage and review against the fake Gemini server: badges and filter counts, P/X/U overrides that
// survive a new run, move to trash inside a temporary XDG data home with Undo, a changed file
// refused, report export.

#include "GuiTestSupport.h"

#include "FakeGeminiServer.h"
#include "FilterBar.h"
#include "MainWindow.h"
#include "MediaGridModel.h"
#include "MediaGridView.h"
#include "AppSettings.h"
#include "PreferencesDialog.h"
#include "TriageController.h"
#include "ui_PreferencesDialog.h"
#include "xmp/XmpSidecar.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QMessageBox>
#include <QTest>

using namespace mt;
using namespace mt::app;

class TestReview : public QObject
{
    Q_OBJECT

public:
    explicit TestReview(QString root) : m_root(std::move(root)) {}

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void triageShowsBadgesAndCounts();
    void overridesWithPXUAndSurviveRerun();
    void movesDiscardsToTrashAndUndoes();
    void refusesChangedFile();
    void exportsCsvAndJson();
    void keepBestOfSimilarGroups();
    void localEngineJudgesSamples();
    void uncertainOnlySendsLessToGemini();
    void preferencesMaskKeyAndShowEnvPrecedence();

private:
    bool openAndWait();
    bool triage();
    QString path(const QString &name) const { return m_media + QLatin1Char('/') + name; }
    int verdictOf(const QString &name) const
    {
        return m_window->model()->indexOf(path(name)).data(MediaGridModel::VerdictRole).toInt();
    }
    void select(const QString &name);

    QString m_root;
    QString m_media;
    std::unique_ptr<fakes::FakeGeminiServer> m_server;
    MainWindow *m_window = nullptr;
};

void TestReview::initTestCase()
{
    m_server = std::make_unique<fakes::FakeGeminiServer>();
    QVERIFY(m_server->start());
    qputenv("GEMINI_BASE_URL", m_server->baseUrl().toString().toUtf8());
    qputenv("GEMINI_API_KEY", m_server->options().apiKey.toUtf8());
    qputenv("GEMINI_MODEL", m_server->options().models.first().toUtf8());
}

void TestReview::init()
{
    // Fresh media for every test, on the same volume as the XDG data home (so the trash is ours).
    static int n = 0;
    m_media = m_root + QStringLiteral("/media%1").arg(++n);
    QVERIFY(QDir().mkpath(m_media));
    const QStringList names{QStringLiteral("p01.jpg"), QStringLiteral("p02-dark.jpg"), QStringLiteral("p03.jpg"),
                            QStringLiteral("p04-blur.jpg")};
    for (int i = 0; i < names.size(); ++i)
        QVERIFY(guitest::writeImage(path(names[i]), QSize(320, 240), QColor::fromHsv(40 * i + 10 * n, 160, 200)));

    m_window = new MainWindow;
    m_window->triageController()->setEstimateQuestion([](const CostEstimate &) { return true; });
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QVERIFY(openAndWait());
}

void TestReview::cleanup()
{
    delete m_window;
    m_window = nullptr;
    QVERIFY2(m_server->violations().isEmpty(), qPrintable(m_server->violations().join(u'\n')));
}

bool TestReview::openAndWait()
{
    QSignalSpy loaded(m_window, &MainWindow::folderLoaded);
    m_window->openFolder(m_media);
    return loaded.wait(10000);
}

bool TestReview::triage()
{
    QSignalSpy done(m_window, &MainWindow::triageFinished);
    m_window->action(QStringLiteral("triage"))->trigger();
    return done.wait(30000);
}

void TestReview::select(const QString &name)
{
    const QModelIndex index = m_window->proxy()->mapFromSource(m_window->model()->indexOf(path(name)));
    QVERIFY(index.isValid());
    m_window->grid()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
}

void TestReview::triageShowsBadgesAndCounts()
{
    QVERIFY(triage());
    QCOMPARE(verdictOf(QStringLiteral("p01.jpg")), int(VerdictKind::Keep));
    QCOMPARE(verdictOf(QStringLiteral("p02-dark.jpg")), int(VerdictKind::Discard));
    QCOMPARE(verdictOf(QStringLiteral("p04-blur.jpg")), int(VerdictKind::Discard));
    FilterBar *bar = m_window->filterBar();
    QTRY_COMPARE(bar->count(VerdictFilter::Keep), 2);
    QCOMPARE(bar->count(VerdictFilter::Discard), 2);
    QCOMPARE(bar->count(VerdictFilter::Errors), 0);
    QCOMPARE(bar->count(VerdictFilter::Unreviewed), 4);
    QVERIFY(!m_window->model()->indexOf(path(QStringLiteral("p02-dark.jpg"))).data(MediaGridModel::ReasonRole).toString().isEmpty());

    // Clicking a filter narrows the grid.
    bar->button(VerdictFilter::Discard)->click();
    QCOMPARE(m_window->proxy()->rowCount(), 2);
    bar->button(VerdictFilter::All)->click();
    QCOMPARE(m_window->proxy()->rowCount(), 4);
}

void TestReview::overridesWithPXUAndSurviveRerun()
{
    QVERIFY(triage());
    QSignalSpy saved(m_window, &MainWindow::overrideSaved);
    select(QStringLiteral("p01.jpg"));
    m_window->grid()->setFocus();
    QTest::keyClick(m_window->grid(), Qt::Key_X);
    QCOMPARE(verdictOf(QStringLiteral("p01.jpg")), int(VerdictKind::Discard));
    QVERIFY(m_window->model()->indexOf(path(QStringLiteral("p01.jpg"))).data(MediaGridModel::OverriddenRole).toBool());
    // Moved on to the next item.
    QCOMPARE(m_window->selectedPaths(), QStringList{path(QStringLiteral("p02-dark.jpg"))});
    QTest::keyClick(m_window->grid(), Qt::Key_P);
    QCOMPARE(verdictOf(QStringLiteral("p02-dark.jpg")), int(VerdictKind::Keep));
    QCOMPARE(m_window->selectedPaths(), QStringList{path(QStringLiteral("p03.jpg"))});
    QTest::keyClick(m_window->grid(), Qt::Key_X);
    select(QStringLiteral("p03.jpg"));
    QTest::keyClick(m_window->grid(), Qt::Key_U);
    QCOMPARE(verdictOf(QStringLiteral("p03.jpg")), int(VerdictKind::Keep));
    QTRY_COMPARE(saved.count(), 4);
    QTRY_COMPARE(m_window->filterBar()->count(VerdictFilter::Unreviewed), 2);

    // A re-scan and a new run (answered from the verdict cache) keep the person's decisions.
    QVERIFY(openAndWait());
    QVERIFY(triage());
    QTRY_COMPARE(verdictOf(QStringLiteral("p01.jpg")), int(VerdictKind::Discard));
    QCOMPARE(verdictOf(QStringLiteral("p02-dark.jpg")), int(VerdictKind::Keep));
    QCOMPARE(verdictOf(QStringLiteral("p03.jpg")), int(VerdictKind::Keep));
    QVERIFY(!m_window->model()->indexOf(path(QStringLiteral("p03.jpg"))).data(MediaGridModel::OverriddenRole).toBool());
}

void TestReview::movesDiscardsToTrashAndUndoes()
{
    QVERIFY(triage());
    QSignalSpy trashed(m_window, &MainWindow::trashFinished);
    m_window->moveDiscardsToTrash(false);
    QVERIFY(trashed.wait(10000));
    QCOMPARE(trashed.first().at(0).toInt(), 2);
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("p02-dark.jpg"))));
    QCOMPARE(m_window->model()->rowCount(), 2);
    const QString trash = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/Trash");
    const QStringList inTrash = QDir(trash + QStringLiteral("/files")).entryList(QDir::Files);
    QVERIFY2(inTrash.contains(QStringLiteral("p02-dark.jpg")), qPrintable(inTrash.join(u',')));
    QVERIFY(QFileInfo::exists(trash + QStringLiteral("/info/p02-dark.jpg.trashinfo")));

    QVERIFY(m_window->action(QStringLiteral("undo"))->isEnabled());
    QSignalSpy undone(m_window, &MainWindow::undoFinished);
    m_window->action(QStringLiteral("undo"))->trigger();
    QVERIFY(undone.wait(10000));
    QCOMPARE(undone.first().at(0).toInt(), 2);
    QVERIFY(QFileInfo::exists(path(QStringLiteral("p02-dark.jpg"))));
    QVERIFY(!QFileInfo::exists(trash + QStringLiteral("/info/p02-dark.jpg.trashinfo")));
    QCOMPARE(m_window->model()->rowCount(), 4);
    QCOMPARE(verdictOf(QStringLiteral("p02-dark.jpg")), int(VerdictKind::Discard));
}

void TestReview::refusesChangedFile()
{
    QVERIFY(triage());
    {
        QFile f(path(QStringLiteral("p04-blur.jpg")));
        QVERIFY(f.open(QIODevice::Append));
        f.write("changed after triage");
    }
    QSignalSpy trashed(m_window, &MainWindow::trashFinished);
    m_window->moveDiscardsToTrash(false);
    QVERIFY(trashed.wait(10000));
    QCOMPARE(trashed.first().at(0).toInt(), 1);
    QCOMPARE(trashed.first().at(1).toInt(), 1);
    QVERIFY(QFileInfo::exists(path(QStringLiteral("p04-blur.jpg"))));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("p02-dark.jpg"))));
    // The refusal is reported in a (non-blocking) message box.
    QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()) || m_window->findChild<QMessageBox *>());
    auto *box = m_window->findChild<QMessageBox *>();
    QVERIFY(box);
    QVERIFY2(box->text().contains(QStringLiteral("p04-blur.jpg")), qPrintable(box->text()));
    box->close();
}

void TestReview::exportsCsvAndJson()
{
    QVERIFY(triage());
    const QString csvPath = m_root + QStringLiteral("/report.csv");
    QVERIFY(m_window->exportReport(csvPath));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines.first().startsWith("path,file,kind,size_bytes,verdict"));
    QVERIFY(lines.at(2).contains("discard"));

    const QString jsonPath = m_root + QStringLiteral("/report.json");
    QVERIFY(m_window->exportReport(jsonPath));
    QFile json(jsonPath);
    QVERIFY(json.open(QIODevice::ReadOnly));
    // The one result document (TriageReport), the same as the CLI's and the Lambda's.
    const QJsonObject doc = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(doc[QStringLiteral("schema_version")].toInt(), 2);
    QCOMPARE(doc[QStringLiteral("engine")].toString(), QStringLiteral("gemini"));
    const QJsonArray array = doc[QStringLiteral("items")].toArray();
    QCOMPARE(array.size(), 4);
    QCOMPARE(array.at(1)[QStringLiteral("verdict")].toString(), QStringLiteral("discard"));
    QCOMPARE(array.at(1)[QStringLiteral("source")].toString(), QStringLiteral("gemini"));
    QVERIFY(array.at(1)[QStringLiteral("size_bytes")].toInteger() > 0);
}

void TestReview::keepBestOfSimilarGroups()
{
    // As the engine reports them: a burst (p01 best, p03) and a pair of similar shots (p02 best,
    // p04). Without a selection only the burst is decided: a similar shot is another picture.
    auto group = [&](const QString &name, int id, GroupKind kind, bool best) {
        ItemVerdict v;
        v.kind = VerdictKind::Keep;
        v.similarGroup = QString::number(id);
        v.groupKind = kind;
        v.bestOfGroup = best;
        m_window->model()->setVerdict(path(name), v);
    };
    group(QStringLiteral("p01.jpg"), 0, GroupKind::Burst, true);
    group(QStringLiteral("p03.jpg"), 0, GroupKind::Burst, false);
    group(QStringLiteral("p02-dark.jpg"), 1, GroupKind::Similar, true);
    group(QStringLiteral("p04-blur.jpg"), 1, GroupKind::Similar, false);
    QTRY_COMPARE(m_window->filterBar()->count(VerdictFilter::Similar), 4);
    m_window->filterBar()->button(VerdictFilter::Similar)->click();
    QCOMPARE(m_window->proxy()->rowCount(), 4);
    // Each group's suggested best comes first.
    QCOMPARE(m_window->proxy()->index(0, 0).data().toString(), QStringLiteral("p01.jpg"));
    QCOMPARE(m_window->proxy()->index(0, 0).data(MediaGridModel::GroupKindRole).toString(), QStringLiteral("burst"));
    QSignalSpy saved(m_window, &MainWindow::overrideSaved);
    m_window->action(QStringLiteral("keepBest"))->trigger();
    QCOMPARE(verdictOf(QStringLiteral("p01.jpg")), int(VerdictKind::Keep));
    QCOMPARE(verdictOf(QStringLiteral("p03.jpg")), int(VerdictKind::Discard));
    auto overridden = [&](const QString &name) {
        return m_window->model()->indexOf(path(name)).data(MediaGridModel::OverriddenRole).toBool();
    };
    QVERIFY(!overridden(QStringLiteral("p02-dark.jpg")));
    QVERIFY(!overridden(QStringLiteral("p04-blur.jpg")));
    QTRY_COMPARE(saved.count(), 2);
    // Selecting a member of the similar group is asking for it.
    select(QStringLiteral("p04-blur.jpg"));
    m_window->action(QStringLiteral("keepBest"))->trigger();
    QCOMPARE(verdictOf(QStringLiteral("p02-dark.jpg")), int(VerdictKind::Keep));
    QCOMPARE(verdictOf(QStringLiteral("p04-blur.jpg")), int(VerdictKind::Discard));
    QTRY_COMPARE(saved.count(), 4);

    // Review › Write Decisions to XMP Sidecars: a sidecar per decided file, discards rejected.
    QAction *writeXmp = m_window->action(QStringLiteral("writeXmp"));
    QVERIFY(writeXmp && writeXmp->isEnabled());
    writeXmp->trigger();
    const auto discarded = XmpSidecar::readRating(path(QStringLiteral("p03.jpg")));
    QVERIFY(discarded);
    QCOMPARE(discarded->rating, std::optional<int>(-1));
    QCOMPARE(discarded->source, path(QStringLiteral("p03.jpg.xmp")));
    const auto kept = XmpSidecar::readRating(path(QStringLiteral("p01.jpg")));
    QVERIFY(kept);
    QCOMPARE(kept->source, path(QStringLiteral("p01.jpg.xmp")));
    QVERIFY(!kept->rating); // a keep leaves the rating as it was: none
}

void TestReview::localEngineJudgesSamples()
{
    QSettings().setValue(QStringLiteral("triage/engine"), int(EngineChoice::Local));
    guitest::copySamples(m_media);
    QVERIFY(openAndWait());
    QCOMPARE(m_window->model()->rowCount(), 11);
    const int callsBefore = m_server->stats().generateCalls;
    QVERIFY(triage());
    QSettings().remove(QStringLiteral("triage/engine"));
    QCOMPARE(m_server->stats().generateCalls, callsBefore); // offline: nothing sent
    for (const MediaItem &item : m_window->model()->items()) {
        const ItemVerdict *v = m_window->model()->verdict(item.path);
        QVERIFY2(v, qPrintable(item.fileName));
        QCOMPARE(v->source, VerdictSource::Local);
        QVERIFY2(!v->contentHash.isEmpty(), qPrintable(item.fileName));
    }
    // The 1.2 s clip is an accidental short clip.
    QCOMPARE(verdictOf(QStringLiteral("IMG_0007.mp4")), int(VerdictKind::Discard));
}

void TestReview::uncertainOnlySendsLessToGemini()
{
    QSettings().setValue(QStringLiteral("triage/uncertainOnly"), true);
    m_server->resetCounters();
    QVERIFY(triage());
    QSettings().remove(QStringLiteral("triage/uncertainOnly"));
    const int sent = m_server->stats().mediaItems;
    QVERIFY2(sent <= 4, qPrintable(QString::number(sent)));
    for (const MediaItem &item : m_window->model()->items()) {
        const ItemVerdict *v = m_window->model()->verdict(item.path);
        QVERIFY2(v && !v->isError(), qPrintable(item.fileName));
    }
    qInfo("uncertain-only: %d of 4 items sent to Gemini", sent);
}

void TestReview::preferencesMaskKeyAndShowEnvPrecedence()
{
    PreferencesDialog dialog(m_window);
    Ui::PreferencesDialog *ui = dialog.ui();
    QCOMPARE(ui->apiKeyEdit->echoMode(), QLineEdit::Password);
    // GEMINI_API_KEY is set for this suite: the field is disabled and says why.
    QVERIFY(!ui->apiKeyEdit->isEnabled());
    QVERIFY(ui->keyStatusLabel->text().contains(QStringLiteral("GEMINI_API_KEY")));
    QVERIFY(!ui->apiKeyEdit->accessibleName().isEmpty());
    // "Test key" runs the client's model check against the (fake) server.
    ui->modelCombo->setCurrentText(m_server->options().models.first());
    QSignalSpy tested(&dialog, &PreferencesDialog::keyTestFinished);
    ui->testKeyButton->click();
    QVERIFY(tested.wait(10000));
    QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
    // Settings round-trip; the key never lands in the settings file.
    ui->recursiveCheck->setChecked(true);
    ui->thumbSizeSpin->setValue(224);
    QCOMPARE(ui->inputPriceSpin->text(), QStringLiteral("Price table")); // none set: the built-in table
    ui->inputPriceSpin->setValue(0.6);
    ui->outputPriceSpin->setValue(3.5);
    dialog.accept();
    QCOMPARE(AppSettings::load().recursive, true);
    QCOMPARE(AppSettings::load().thumbnailEdge, 224);
    const auto price = AppSettings::load().userPrice();
    QVERIFY(price && price->source == PriceSource::User);
    QCOMPARE(price->inputPerMillion, 0.6);
    QCOMPARE(price->outputPerMillion, 3.5);
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(m_server->options().apiKey.toUtf8()));
    AppSettings reset = AppSettings::load();
    reset.recursive = false;
    reset.thumbnailEdge = 160;
    reset.inputPricePerMillion = 0;
    reset.outputPricePerMillion = 0;
    reset.save();
}

int main(int argc, char **argv)
{
    QTemporaryDir home;
    guitest::isolateEnvironment(home.path());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MediaTriageTest"));
    QApplication::setApplicationName(QStringLiteral("mediatriage-review-test"));
    TestReview test(home.path());
    return QTest::qExec(&test, argc, argv);
}

#include "tst_review.moc"
