#include "ServerThread.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QThread>

namespace mt::fakes {

bool ServerThread::start(const std::function<void(QHttpServer &)> &install)
{
    m_thread = new QThread;
    m_thread->setObjectName(m_name);
    m_thread->start();
    m_context = new QObject;
    m_context->moveToThread(m_thread);
    QMetaObject::invokeMethod(m_context, [this, &install] {
        m_server = new QHttpServer;
        install(*m_server);
        m_port = m_server->listen(QHostAddress::LocalHost, 0);
    }, Qt::BlockingQueuedConnection);
    return m_port != 0;
}

void ServerThread::stop(const std::function<void()> &beforeDelete)
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_context, [this, &beforeDelete] {
        if (beforeDelete)
            beforeDelete();
        delete m_server;
        m_server = nullptr;
    }, Qt::BlockingQueuedConnection);
    m_context->deleteLater();
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_context = nullptr;
}

} // namespace mt::fakes
