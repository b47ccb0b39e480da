#pragma once

#include "BackgroundLoaders.h"
#include "media/MediaItem.h"

#include <QWidget>

#include <vector>

class QTextBrowser;

namespace mt::app {

struct ItemVerdict;

// The right-hand pane: the core formatter's grouped rows for one item (selectable, with the map
// link), or a summary when several are selected. It shows what it is given and loads nothing.
class MetadataPane : public QWidget
{
    Q_OBJECT

public:
    explicit MetadataPane(QWidget *parent = nullptr);

    void showNothing();
    void showLoading(const MediaItem &item);
    void showItem(const MediaItem &item, const Result<MediaMetadata> &metadata, const ItemVerdict *verdict);
    void showSummary(const std::vector<MediaItem> &items, int keep, int discard);

    QString plainText() const; // for tests and "copy all"
    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser;
};

} // namespace mt::app
