#pragma once

#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

namespace mt::fakes {

// A responder kept past its handler (a delayed answer, a held long-poll). The client may hang up
// meanwhile (a cancelled run) and the server then deletes the socket, yet QHttpServerResponder keeps
// a raw pointer to it: writing would touch freed memory. live() says whether answering is still safe.
// Server thread only, like the socket.
class HeldResponder {
public:
    explicit HeldResponder(QHttpServerResponder &&responder)
        : m_socket(responder.socket()), m_responder(std::make_shared<QHttpServerResponder>(std::move(responder)))
    {
    }

    QHttpServerResponder *live() const
    {
        return m_socket && m_socket->state() == QAbstractSocket::ConnectedState ? m_responder.get() : nullptr;
    }

private:
    QPointer<QTcpSocket> m_socket;
    std::shared_ptr<QHttpServerResponder> m_responder;
};

} // namespace mt::fakes
