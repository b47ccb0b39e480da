#pragma once

#include <QString>
#include <QUrl>

#include <functional>

class QHttpServer;
class QObject;
class QThread;

namespace mt::fakes {

// A QHttpServer on 127.0.0.1 (a free port) that serves from its own thread, so the code under
// test can block the test's thread on a synchronous client while the fake answers.
class ServerThread {
public:
    explicit ServerThread(QString name) : m_name(std::move(name)) {}
    ~ServerThread() { stop(); }
    ServerThread(const ServerThread &) = delete;
    ServerThread &operator=(const ServerThread &) = delete;

    // `install` adds the routes; it runs on the server thread before the server listens.
    bool start(const std::function<void(QHttpServer &)> &install);
    // `beforeDelete` runs on the server thread first (e.g. to drop responders still held).
    void stop(const std::function<void()> &beforeDelete = {});

    quint16 port() const { return m_port; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    // Lives on the server thread: the context for timers and queued calls into the fake.
    QObject *context() const { return m_context; }

private:
    QString m_name;
    QThread *m_thread = nullptr;
    QObject *m_context = nullptr;
    QHttpServer *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace mt::fakes
