#pragma once

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <optional>

namespace mt {
class VerdictStore;
}

namespace mt::app {

// The person's P/X/U decisions, kept in the verdict store (SQLite) under a reserved model name and
// keyed by content hash, so they survive renames, re-scans and new engine runs. The store lives on
// one dedicated thread (SQLite connections are per thread) and the GUI never waits for the disk.
class OverrideStore : public QObject
{
    Q_OBJECT

public:
    static inline const QString kModel = QStringLiteral("user-override");
    static inline const QString kVersion = QStringLiteral("1");

    explicit OverrideStore(QString storePath, QObject *parent = nullptr);
    ~OverrideStore() override;

    // `contentHash` may be empty: the file is hashed on the store's thread.
    void save(const QString &path, const QString &contentHash, std::optional<bool> keep);
    // Answers with `found` for every path that has a decision.
    void lookup(const QHash<QString, QString> &hashByPath);

signals:
    void saved(const QString &path, const QString &contentHash, bool ok);
    void found(const QHash<QString, bool> &keepByPath);
    // Emitted at most once, when the store is opened (lazily, on the first save or lookup): the
    // damaged store was moved aside and a fresh one started, or the store cannot be opened. Translated; names the files involved. For the person, e.g. in a message box.
    void notice(const QString &text);

private:
    VerdictStore *store(); // on the pool thread only

    QString m_path;
    QThreadPool m_pool;
    std::unique_ptr<VerdictStore> m_store;
    bool m_noticeSent = false; // on the pool thread only
};

} // namespace mt::app
