#include "MainWindow.h"

#include "FilterBar.h"
#include "FolderTree.h"
#include "MediaGridDelegate.h"
#include "MediaGridModel.h"
#include "MediaGridView.h"
#include "AppSettings.h"
#include "CompareWindow.h"
#include "MetadataPane.h"
#include "PreferencesDialog.h"
#include "PreviewWindow.h"
#include "ReportExport.h"
#include "ReviewActions.h"
#include "ThumbnailScheduler.h"
#include "TrashActions.h"
#include "TriageActions.h"
#include "metadata/MetadataFormatter.h"
#include "thumbs/ThumbnailService.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace mt::app {

namespace {
constexpr int kMinEdge = 96;
constexpr int kMaxEdge = 384;
constexpr int kEdgeStep = 32;
constexpr int kMaxRecent = 10;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_model(new MediaGridModel(this)), m_proxy(new MediaFilterProxy(this)),
      m_delegate(new MediaGridDelegate(this)), m_folderLoader(new FolderLoader(this)),
      m_metadataLoader(new MetadataLoader(this)), m_thumbnails(new ThumbnailService(ThumbnailProvider(), {}, this))
{
    setWindowTitle(tr("MediaTriage"));
    setAcceptDrops(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortKey(SortKey::Name);

    createCentral();
    createActions();
    createWorkflowActions();
    createStatusBar();
    createMenus();
    createToolBar();

    m_scheduler = new ThumbnailScheduler(m_thumbnails, m_model, m_proxy, m_grid, this);

    connectViews();

    restoreSettings();
    setThumbnailEdge(m_edge);
    updateStatus();
    updateActions();
}

void MainWindow::connectViews()
{
    connect(m_folderLoader, &FolderLoader::loaded, this, &MainWindow::onFolderLoaded);
    connect(m_metadataLoader, &MetadataLoader::loaded, this, &MainWindow::onMetadataLoaded);
    connect(m_tree, &FolderTree::folderActivated, this, [this](const QString &folder) { openFolder(folder); });
    connect(m_grid, &MediaGridView::previewRequested, this, [this](const QModelIndex &index) {
        m_grid->setCurrentIndex(index);
        previewCurrent();
    });
    connect(m_grid->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onSelectionChanged);
    // A run delivers thousands of verdicts at once: recount once after the burst, not per item.
    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(0);
    connect(&m_countsTimer, &QTimer::timeout, this, [this] {
        updateFilterCounts();
        updateActions();
    });
    connect(m_model, &MediaGridModel::verdictsChanged, &m_countsTimer, qOverload<>(&QTimer::start));
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateStatus);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateStatus);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateStatus);
    connect(m_filterBar, &FilterBar::filterRequested, this, [this](VerdictFilter filter) {
        m_proxy->setVerdictFilter(filter);
        updateStatus();
    });

    connect(m_delegate, &MediaGridDelegate::verdictToggleRequested, this, [this](const QModelIndex &index) {
        m_grid->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        overrideSelection(index.data(MediaGridModel::VerdictRole).toInt() != int(VerdictKind::Keep));
    });
    m_grid->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_grid, &QWidget::customContextMenuRequested, this, &MainWindow::showGridContextMenu);
}

// Triage, review, trash and export own their actions; the window adds them (so the shortcuts work
// anywhere in it) and relays what they report to the status bar and message boxes.
void MainWindow::createWorkflowActions()
{
    m_triage = new TriageActions(m_model, this);
    m_review = new ReviewActions(m_model, m_proxy, m_grid, this);
    m_trash = new TrashActions(m_model, this);
    m_report = new ReportExport(m_model, this);
    addActions(m_triage->actions());
    addActions(m_review->actions());
    addActions(m_trash->actions());
    addAction(m_report->action());

    const auto showMessage = [this](const QString &text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); };
    connect(m_triage, &TriageActions::progressText, m_statusLabel, &QLabel::setText);
    connect(m_triage, &TriageActions::message, this, showMessage);
    connect(m_triage, &TriageActions::warning, this, &MainWindow::showWarning);
    connect(m_triage, &TriageActions::verdictsApplied, this, [this](const QHash<QString, QString> &hashByPath) {
        // The person's earlier decisions win over the new run, whatever the engine said.
        m_review->restoreDecisions(hashByPath);
        updateStatus();
    });
    connect(m_triage, &TriageActions::finished, this, &MainWindow::onTriageFinished);
    connect(m_review, &ReviewActions::message, this, showMessage);
    connect(m_review, &ReviewActions::overrideSaved, this, &MainWindow::overrideSaved);
    connect(m_review, &ReviewActions::decisionsChanged, this, [this] {
        onSelectionChanged();
        updateActions();
    });
    connect(m_trash, &TrashActions::message, this, showMessage);
    connect(m_trash, &TrashActions::warning, this, &MainWindow::showWarning);
    connect(m_review, &ReviewActions::warning, this, &MainWindow::showWarning);
    // A damaged trash journal was moved aside when it was opened: say so once, after the window shows.
    if (const auto notice = m_trash->journalNotice())
        QTimer::singleShot(0, this, [this, text = *notice] { showWarning(tr("Undo"), text); });
    connect(m_trash, &TrashActions::progressText, m_statusLabel, &QLabel::setText);
    connect(m_trash, &TrashActions::itemsChanged, this, &MainWindow::onItemsChanged);
    connect(m_trash, &TrashActions::trashFinished, this, &MainWindow::trashFinished);
    connect(m_trash, &TrashActions::undoFinished, this, &MainWindow::undoFinished);
    connect(m_report, &ReportExport::warning, this, &MainWindow::showWarning);
    connect(m_triage, &TriageActions::judgedBy, m_report, &ReportExport::setLastRun);
}

MainWindow::~MainWindow()
{
    // Workers deliver into the model through queued calls; stop them before the model goes.
    m_thumbnails->cancelAll();
    m_thumbnails->waitForDone();
}

void MainWindow::createCentral()
{
    m_tree = new FolderTree(this);
    m_grid = new MediaGridView(this);
    m_grid->setModel(m_proxy);
    m_grid->setItemDelegate(m_delegate);
    m_pane = new MetadataPane(this);
    m_filterBar = new FilterBar(this);

    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    centreLayout->addWidget(m_filterBar);
    centreLayout->addWidget(m_grid, 1);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(centre);
    m_splitter->addWidget(m_pane);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setSizes({220, 760, 300});
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);

    m_statusLabel = new QLabel(this);
    m_selectionLabel = new QLabel(this);
}

void MainWindow::createStatusBar()
{
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_triage->progressBar());
    statusBar()->addPermanentWidget(m_triage->cancelButton());
    statusBar()->addPermanentWidget(m_selectionLabel);
}

void MainWindow::createActions()
{
    const auto make = [this](const QString &name, const QString &text, const QKeySequence &key = {}) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        if (!key.isEmpty())
            a->setShortcut(key);
        addAction(a);
        return a;
    };
    m_openAction = make(QStringLiteral("openFolder"), tr("&Open Folder…"), QKeySequence::Open);
    m_openAction->setIcon(QIcon::fromTheme(QStringLiteral("folder-open"), style()->standardIcon(QStyle::SP_DirOpenIcon)));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseFolder);

    m_previewAction = make(QStringLiteral("preview"), tr("&Preview"), QKeySequence(Qt::Key_Space));
    m_previewAction->setIcon(QIcon::fromTheme(QStringLiteral("view-preview"), style()->standardIcon(QStyle::SP_FileDialogContentsView)));
    connect(m_previewAction, &QAction::triggered, this, &MainWindow::previewCurrent);

    m_zoomInAction = make(QStringLiteral("zoomIn"), tr("&Larger Thumbnails"), QKeySequence::ZoomIn);
    m_zoomInAction->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    connect(m_zoomInAction, &QAction::triggered, this, [this] { zoom(1); });
    m_zoomOutAction = make(QStringLiteral("zoomOut"), tr("&Smaller Thumbnails"), QKeySequence::ZoomOut);
    connect(m_zoomOutAction, &QAction::triggered, this, [this] { zoom(-1); });

    m_sortGroup = new QActionGroup(this);
    const std::pair<SortKey, QString> sorts[] = {
        {SortKey::Name, tr("Sort by &Name")}, {SortKey::Date, tr("Sort by &Date")}, {SortKey::Size, tr("Sort by &Size")}};
    for (const auto &[key, text] : sorts) {
        QAction *a = make(QStringLiteral("sort%1").arg(int(key)), text);
        a->setCheckable(true);
        a->setData(int(key));
        a->setChecked(key == SortKey::Name);
        m_sortGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, key = key] { setSortKey(key); });
    }

    m_compareAction = make(QStringLiteral("compare"), tr("&Compare Selected"), QKeySequence(Qt::Key_C));
    connect(m_compareAction, &QAction::triggered, this, &MainWindow::compareSelection);
    m_compareGroupAction = make(QStringLiteral("compareGroup"), tr("Compare &Group"), QKeySequence(Qt::SHIFT | Qt::Key_C));
    connect(m_compareGroupAction, &QAction::triggered, this, &MainWindow::compareGroup);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    quit->setObjectName(QStringLiteral("quit"));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    edit->addAction(m_trash->undoAction());
    edit->addSeparator();
    QAction *selectAll = edit->addAction(tr("Select &All"), QKeySequence::SelectAll, m_grid, &QAbstractItemView::selectAll);
    selectAll->setObjectName(QStringLiteral("selectAll"));
    edit->addSeparator();
    QAction *prefs = edit->addAction(tr("&Preferences…"), QKeySequence::Preferences, this, &MainWindow::openPreferences);
    prefs->setObjectName(QStringLiteral("preferences"));
    if (prefs->shortcut().isEmpty())
        prefs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    view->addAction(m_previewAction);
    view->addAction(m_compareAction);
    view->addAction(m_compareGroupAction);
    view->addSeparator();
    view->addAction(m_zoomInAction);
    view->addAction(m_zoomOutAction);
    view->addSeparator();
    view->addActions(m_sortGroup->actions());

    QMenu *review = menuBar()->addMenu(tr("&Review"));
    review->setObjectName(QStringLiteral("reviewMenu"));
    review->addActions(m_triage->actions());
    review->addSeparator();
    review->addActions(m_review->actions());
    review->addSeparator();
    review->addAction(m_trash->trashAction());
    review->addAction(m_report->action());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addAction(tr("&About MediaTriage"), this, [this] {
        QMessageBox::about(this, tr("About MediaTriage"),
                           tr("<h3>MediaTriage %1</h3><p>Browse, triage and clean up the photos and videos "
                              "from a trip or an event.</p>").arg(QStringLiteral(MEDIATRIAGE_VERSION)));
    });
    rebuildRecentMenu();
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_openAction);
    bar->addAction(m_previewAction);
    bar->addAction(m_triage->triageAction());
    bar->addAction(m_trash->trashAction());

    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);

    m_sortCombo = new QComboBox(bar);
    m_sortCombo->setAccessibleName(tr("Sort order"));
    m_sortCombo->addItem(tr("Name"), int(SortKey::Name));
    m_sortCombo->addItem(tr("Date"), int(SortKey::Date));
    m_sortCombo->addItem(tr("Size"), int(SortKey::Size));
    m_sortCombo->setToolTip(tr("Sort by"));
    connect(m_sortCombo, &QComboBox::activated, this,
            [this](int i) { setSortKey(SortKey(m_sortCombo->itemData(i).toInt())); });
    bar->addWidget(new QLabel(tr("Sort:") + QLatin1Char(' '), bar));
    bar->addWidget(m_sortCombo);

    m_sizeSlider = new QSlider(Qt::Horizontal, bar);
    m_sizeSlider->setRange(kMinEdge, kMaxEdge);
    m_sizeSlider->setSingleStep(16);
    m_sizeSlider->setPageStep(kEdgeStep);
    m_sizeSlider->setFixedWidth(140);
    m_sizeSlider->setAccessibleName(tr("Thumbnail size"));
    m_sizeSlider->setToolTip(tr("Thumbnail size (Ctrl++ / Ctrl+−)"));
    connect(m_sizeSlider, &QSlider::valueChanged, this, &MainWindow::setThumbnailEdge);
    bar->addSeparator();
    bar->addWidget(m_sizeSlider);
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::restoreSettings()
{
    QSettings s;
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(s.value(QStringLiteral("window/splitter")).toByteArray());
    m_recent = s.value(QStringLiteral("recentFolders")).toStringList();
    m_edge = std::clamp(s.value(QStringLiteral("thumbnailEdge"), 160).toInt(), kMinEdge, kMaxEdge);
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    m_tree->setRecentFolders(m_recent);
    rebuildRecentMenu();
}

void MainWindow::saveSettings()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("recentFolders"), m_recent);
    s.setValue(QStringLiteral("thumbnailEdge"), m_edge);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_preview)
        m_preview->close();
    QMainWindow::closeEvent(event);
}

void MainWindow::chooseFolder()
{
    const QString start = m_folder.isEmpty() ? QDir::homePath() : m_folder;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Folder"), start);
    if (!folder.isEmpty())
        openFolder(folder);
}

void MainWindow::openPaths(const QStringList &paths)
{
    QString folder;
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            continue;
        if (info.isDir()) {
            openFolder(info.absoluteFilePath());
            return;
        }
        // Several files from different folders: the first one's folder wins.
        if (folder.isEmpty())
            folder = info.absolutePath();
        if (info.absolutePath() == folder)
            files << info.absoluteFilePath();
    }
    if (!folder.isEmpty())
        openFolder(folder, files);
    else if (!paths.isEmpty())
        statusBar()->showMessage(tr("Nothing to open at %1").arg(paths.join(QStringLiteral(", "))), 5000);
}

void MainWindow::openFolder(const QString &folder, const QStringList &select)
{
    const QString clean = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    m_folder = clean;
    m_pendingSelection = select;
    m_trash->setFolder(clean);
    m_report->setFolder(clean);
    setWindowTitle(tr("%1 – MediaTriage").arg(QDir::toNativeSeparators(clean)));
    m_statusLabel->setText(tr("Scanning %1…").arg(QDir::toNativeSeparators(clean)));
    ScanOptions options;
    options.recursive = AppSettings::load().recursive;
    m_folderLoader->load(clean, options);
    m_tree->setCurrentFolder(clean);
    addRecentFolder(clean);
}

void MainWindow::onFolderLoaded(const QString &folder, const std::vector<MediaItem> &items)
{
    m_metadataLoader->clear();
    m_model->setItems(items);
    m_scheduler->reset();
    m_pane->showNothing();
    // Video durations for the badges, in the background; the pane's requests jump this queue.
    for (const MediaItem &item : items) {
        if (item.kind == MediaKind::Video && item.ok())
            m_metadataLoader->request(item, false);
    }
    QItemSelection selection;
    for (const QString &path : std::as_const(m_pendingSelection)) {
        const QModelIndex index = m_proxy->mapFromSource(m_model->indexOf(path));
        if (index.isValid())
            selection.select(index, index);
    }
    if (!selection.isEmpty()) {
        m_grid->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        m_grid->selectionModel()->setCurrentIndex(selection.indexes().first(), QItemSelectionModel::NoUpdate);
        m_grid->scrollTo(selection.indexes().first());
    } else if (m_proxy->rowCount() > 0) {
        m_grid->selectionModel()->setCurrentIndex(m_proxy->index(0, 0), QItemSelectionModel::NoUpdate);
    }
    m_pendingSelection.clear();
    m_grid->setFocus();
    updateStatus();
    emit folderLoaded(folder, int(items.size()));
}

QStringList MainWindow::selectedPaths() const
{
    return m_grid->selectedPaths();
}

std::vector<MediaItem> MainWindow::selectedItems() const
{
    std::vector<MediaItem> items;
    for (const QString &path : selectedPaths()) {
        const int row = m_model->rowOf(path);
        if (row >= 0)
            items.push_back(m_model->item(row));
    }
    return items;
}

std::vector<MediaItem> MainWindow::visibleItems() const
{
    std::vector<MediaItem> items;
    items.reserve(size_t(m_proxy->rowCount()));
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        items.push_back(m_model->item(m_proxy->mapToSource(m_proxy->index(row, 0)).row()));
    return items;
}

void MainWindow::onSelectionChanged()
{
    const std::vector<MediaItem> items = selectedItems();
    if (items.empty()) {
        m_pane->showNothing();
    } else if (items.size() == 1) {
        const MediaItem &item = items.front();
        if (const MetadataResult cached = m_metadataLoader->cached(item.path))
            m_pane->showItem(item, *cached, m_model->verdict(item.path));
        else {
            m_pane->showLoading(item);
            m_metadataLoader->request(item, true);
        }
    } else {
        int keep = 0, discard = 0;
        for (const MediaItem &item : items) {
            if (const ItemVerdict *v = m_model->verdict(item.path); v && !v->isError())
                (v->effectiveKeep() ? keep : discard)++;
        }
        m_pane->showSummary(items, keep, discard);
    }
    updateStatus();
}

void MainWindow::onMetadataLoaded(const QString &path, const MetadataResult &result)
{
    if (result->ok() && result->value().durationSeconds)
        m_model->setDuration(path, *result->value().durationSeconds);
    const QStringList selected = selectedPaths();
    if (selected.size() == 1 && selected.front() == path) {
        const int row = m_model->rowOf(path);
        if (row >= 0)
            m_pane->showItem(m_model->item(row), *result, m_model->verdict(path));
    }
}

void MainWindow::updateStatus()
{
    const auto &entries = m_model->entries();
    if (m_folderLoader->isLoading())
        return;
    int photos = 0, videos = 0;
    qint64 bytes = 0;
    for (const GridEntry &e : entries) {
        (e.item.kind == MediaKind::Photo ? photos : videos)++;
        bytes += e.item.sizeBytes;
    }
    QString text = m_folder.isEmpty() ? tr("Open a folder to begin (Ctrl+O), or drop one here.")
                                      : (entries.size() == 1 ? tr("1 item") : tr("%1 items").arg(entries.size()))
                                            + tr(" · %1 photos, %2 videos · %3")
                                                  .arg(photos)
                                                  .arg(videos)
                                                  .arg(MetadataFormatter::formatBytes(bytes));
    if (m_proxy->rowCount() != int(entries.size()))
        text += tr(" · %1 shown").arg(m_proxy->rowCount());
    m_statusLabel->setText(text);
    const int selected = int(m_grid->selectionModel()->selectedIndexes().size());
    m_selectionLabel->setText(selected > 0 ? tr("%n selected", nullptr, selected) : QString());
}

void MainWindow::updateFilterCounts()
{
    QHash<VerdictFilter, int> counts;
    counts[VerdictFilter::All] = m_model->rowCount();
    for (const GridEntry &e : m_model->entries()) {
        const ItemVerdict *v = e.verdict ? &*e.verdict : nullptr;
        if (e.item.error || (v && v->isError()))
            ++counts[VerdictFilter::Errors];
        if (!v || !v->overrideKeep)
            ++counts[VerdictFilter::Unreviewed];
        if (!v)
            continue;
        if (!v->isError())
            ++counts[v->effectiveKeep() ? VerdictFilter::Keep : VerdictFilter::Discard];
        if (!v->similarGroup.isEmpty())
            ++counts[VerdictFilter::Similar];
    }
    m_filterBar->setCounts(counts);
}

void MainWindow::addRecentFolder(const QString &folder)
{
    m_recent.removeAll(folder);
    m_recent.prepend(folder);
    while (m_recent.size() > kMaxRecent)
        m_recent.removeLast();
    QSettings().setValue(QStringLiteral("recentFolders"), m_recent);
    m_tree->setRecentFolders(m_recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    for (const QString &folder : std::as_const(m_recent)) {
        m_recentMenu->addAction(QDir::toNativeSeparators(folder), this, [this, folder] { openFolder(folder); });
    }
    m_recentMenu->setEnabled(!m_recent.isEmpty());
}

void MainWindow::setThumbnailEdge(int edge)
{
    m_edge = std::clamp(edge, kMinEdge, kMaxEdge);
    m_delegate->setThumbnailEdge(m_edge);
    QStyleOptionViewItem option;
    option.initFrom(m_grid);
    m_grid->setTileSize(m_delegate->sizeHint(option, {}));
    if (m_sizeSlider && m_sizeSlider->value() != m_edge) {
        const QSignalBlocker block(m_sizeSlider);
        m_sizeSlider->setValue(m_edge);
    }
    m_zoomInAction->setEnabled(m_edge < kMaxEdge);
    m_zoomOutAction->setEnabled(m_edge > kMinEdge);
    m_scheduler->setDisplayEdge(m_edge);
}

void MainWindow::zoom(int steps)
{
    // Snap to the step grid so repeated Ctrl+/− always land on the same sizes.
    const int snapped = (m_edge + kEdgeStep / 2) / kEdgeStep * kEdgeStep;
    setThumbnailEdge(snapped + steps * kEdgeStep);
}

void MainWindow::setSortKey(SortKey key)
{
    m_proxy->setSortKey(key);
    for (QAction *a : m_sortGroup->actions())
        a->setChecked(a->data().toInt() == int(key));
    m_sortCombo->setCurrentIndex(m_sortCombo->findData(int(key)));
    if (m_grid->currentIndex().isValid())
        m_grid->scrollTo(m_grid->currentIndex());
}

void MainWindow::previewCurrent()
{
    QModelIndex current = m_grid->currentIndex();
    if (!current.isValid() && m_proxy->rowCount() > 0)
        current = m_proxy->index(0, 0);
    if (!current.isValid())
        return;
    if (!m_preview) {
        m_preview = new PreviewWindow(this);
        // The grid follows the preview, so closing it leaves the person where they were looking.
        connect(m_preview, &PreviewWindow::currentChanged, this, [this](const QString &path) {
            const QModelIndex index = m_proxy->mapFromSource(m_model->indexOf(path));
            if (index.isValid()) {
                m_grid->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
                m_grid->scrollTo(index);
            }
        });
    }
    m_preview->showItems(visibleItems(), current.row());
    m_preview->show();
    m_preview->raise();
    m_preview->activateWindow();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), [](const QUrl &u) { return u.isLocalFile(); }))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    openPaths(paths);
}

// Window-modal but not blocking: the event loop (and so thumbnails, triage, tests) keeps running.
void MainWindow::showWarning(const QString &title, const QString &text)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::updateActions()
{
    m_triage->updateEnabled();
    m_review->updateEnabled();
    m_trash->updateEnabled();
    m_report->updateEnabled();
}

void MainWindow::compareSelection()
{
    std::vector<MediaItem> items;
    for (const MediaItem &item : selectedItems())
        if (item.kind == MediaKind::Photo && item.ok())
            items.push_back(item);
    if (items.size() < 2) {
        statusBar()->showMessage(tr("Select two or more photos to compare."), 5000);
        return;
    }
    openCompare(std::move(items));
}

void MainWindow::compareGroup()
{
    const int row = m_model->rowOf(m_grid->currentIndex().data(MediaGridModel::PathRole).toString());
    const GridEntry *current = row >= 0 ? &m_model->entries()[size_t(row)] : nullptr;
    const QString group = current && current->verdict ? current->verdict->similarGroup : QString();
    if (group.isEmpty()) {
        statusBar()->showMessage(tr("This item is in no group: triage the folder first, or pick a grouped item."), 5000);
        return;
    }
    std::vector<MediaItem> items;
    for (const GridEntry &e : m_model->entries())
        if (e.verdict && e.verdict->similarGroup == group && e.item.kind == MediaKind::Photo && e.item.ok())
            items.insert(e.verdict->bestOfGroup ? items.begin() : items.end(), e.item);
    if (items.size() < 2) {
        statusBar()->showMessage(tr("The rest of this group is not a photo that can be shown."), 5000);
        return;
    }
    openCompare(std::move(items));
}

void MainWindow::openCompare(std::vector<MediaItem> items)
{
    if (items.size() > kMaxCompared) {
        statusBar()->showMessage(tr("Comparing the first %1 of %2 photos.").arg(kMaxCompared).arg(items.size()), 5000);
        items.resize(kMaxCompared);
    }
    delete m_compare;
    m_compare = new CompareWindow(items, this);
    m_compare->setAttribute(Qt::WA_DeleteOnClose);
    m_compare->show();
}

void MainWindow::keepBestOfGroups()
{
    m_review->keepBestOfGroups();
}

void MainWindow::startTriage()
{
    m_triage->startTriage();
}

TriageController *MainWindow::triageController() const
{
    return m_triage->controller();
}

void MainWindow::onTriageFinished()
{
    onSelectionChanged();
    updateActions();
    emit triageFinished();
}

void MainWindow::overrideSelection(std::optional<bool> keep)
{
    m_review->overrideSelection(keep);
}

void MainWindow::moveDiscardsToTrash(bool confirm)
{
    m_trash->moveDiscardsToTrash(confirm);
}

void MainWindow::undoTrash()
{
    m_trash->undoTrash();
}

void MainWindow::onItemsChanged()
{
    m_scheduler->schedule();
    updateStatus();
    updateActions();
}

bool MainWindow::exportReport(const QString &path)
{
    return m_report->exportReport(path);
}

void MainWindow::showGridContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_grid->indexAt(pos);
    if (!index.isValid())
        return;
    if (!m_grid->selectionModel()->isSelected(index))
        m_grid->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    QMenu menu(this);
    menu.addAction(m_previewAction);
    menu.addAction(m_compareAction);
    menu.addAction(m_compareGroupAction);
    menu.addSeparator();
    menu.addActions(m_review->actions());
    menu.addSeparator();
    menu.addAction(m_trash->trashAction());
    menu.exec(m_grid->viewport()->mapToGlobal(pos));
}

void MainWindow::openPreferences()
{
    PreferencesDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        setThumbnailEdge(AppSettings::load().thumbnailEdge);
}

} // namespace mt::app
