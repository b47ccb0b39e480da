#pragma once

#include "BackgroundLoaders.h"
#include "CompareWindow.h"
#include "MediaFilterProxy.h"

#include <QMainWindow>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include "MediaGridModel.h"

#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMenu;
class QSlider;
class QSplitter;

namespace mt {
class ThumbnailService;
}

namespace mt::app {

class CompareWindow;
class FilterBar;
class FolderTree;
class MediaGridDelegate;
class MediaGridModel;
class MediaGridView;
class MetadataPane;
class PreviewWindow;
class ReportExport;
class ReviewActions;
class ThumbnailScheduler;
class TrashActions;
class TriageActions;
class TriageController;

// The browser: folder tree, thumbnail grid, metadata pane, status bar. It builds the layout and
// wires the parts together; triage, review, trash and export live in their own action classes
// and the work itself happens in the loaders, the thumbnail service and the core.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Folders open as they are; files open their folder with them selected.
    void openPaths(const QStringList &paths);
    void openFolder(const QString &folder, const QStringList &select = {});
    QString currentFolder() const { return m_folder; }

    // For tests and the benchmark.
    MediaGridModel *model() const { return m_model; }
    MediaFilterProxy *proxy() const { return m_proxy; }
    MediaGridView *grid() const { return m_grid; }
    MetadataPane *metadataPane() const { return m_pane; }
    FilterBar *filterBar() const { return m_filterBar; }
    PreviewWindow *previewWindow() const { return m_preview; }
    ThumbnailScheduler *thumbnailScheduler() const { return m_scheduler; }
    FolderTree *folderTree() const { return m_tree; }
    QStringList selectedPaths() const;
    void setThumbnailEdge(int edge);
    int thumbnailEdge() const { return m_edge; }
    void setSortKey(SortKey key);
    void previewCurrent();
    QAction *action(const QString &objectName) const;
    TriageController *triageController() const;

    // Entry points for tests, the benchmark and the grid's badge click; each forwards to the
    // action class that does the work (TriageActions, ReviewActions, TrashActions, ReportExport).
    void overrideSelection(std::optional<bool> keep);
    void startTriage();
    void moveDiscardsToTrash(bool confirm = true);
    void undoTrash();
    void keepBestOfGroups();
    void compareSelection();
    // The whole group of the current item (any kind), its best member first.
    void compareGroup();
    CompareWindow *compareWindow() const { return m_compare; }
    bool exportReport(const QString &path);

signals:
    void folderLoaded(const QString &folder, int count);
    void triageFinished();
    void overrideSaved(const QString &path);
    void trashFinished(int moved, int refused);
    void undoFinished(int restored);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createWorkflowActions();
    void createStatusBar();
    void connectViews();
    void createMenus();
    void createToolBar();
    void createCentral();
    void restoreSettings();
    void saveSettings();
    void chooseFolder();
    void onFolderLoaded(const QString &folder, const std::vector<MediaItem> &items);
    void onSelectionChanged();
    void onMetadataLoaded(const QString &path, const MetadataResult &result);
    void updateStatus();
    void updateFilterCounts();
    void addRecentFolder(const QString &folder);
    void rebuildRecentMenu();
    void zoom(int steps);
    std::vector<MediaItem> visibleItems() const;
    std::vector<MediaItem> selectedItems() const;
    void onTriageFinished();
    void onItemsChanged();
    void showGridContextMenu(const QPoint &pos);
    void openPreferences();
    void updateActions();
    void showWarning(const QString &title, const QString &text);

    QString m_folder;
    QStringList m_pendingSelection;
    QStringList m_recent;
    int m_edge = 160;

    MediaGridModel *m_model;
    MediaFilterProxy *m_proxy;
    MediaGridDelegate *m_delegate;
    MediaGridView *m_grid = nullptr;
    FolderTree *m_tree = nullptr;
    MetadataPane *m_pane = nullptr;
    FilterBar *m_filterBar = nullptr;
    QSplitter *m_splitter = nullptr;
    QSlider *m_sizeSlider = nullptr;
    QComboBox *m_sortCombo = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_selectionLabel = nullptr;
    QMenu *m_recentMenu = nullptr;
    PreviewWindow *m_preview = nullptr;

    FolderLoader *m_folderLoader;
    MetadataLoader *m_metadataLoader;
    ThumbnailService *m_thumbnails;
    ThumbnailScheduler *m_scheduler = nullptr;

    QAction *m_openAction = nullptr;
    QAction *m_previewAction = nullptr;
    QAction *m_zoomInAction = nullptr;
    QAction *m_zoomOutAction = nullptr;
    QActionGroup *m_sortGroup = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_compareGroupAction = nullptr;
    static constexpr size_t kMaxCompared = 6; // side by side, each still large enough to judge
    void openCompare(std::vector<MediaItem> items);
    QPointer<CompareWindow> m_compare;
    TriageActions *m_triage = nullptr;
    ReviewActions *m_review = nullptr;
    TrashActions *m_trash = nullptr;
    ReportExport *m_report = nullptr;

    QTimer m_countsTimer;
};

} // namespace mt::app
