#pragma once

#include "aws/LambdaRuntimeClient.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace mt::lambda {

class JsonLog;
class LambdaServices;

// What an invocation ends with: a response body, or an error for /error.
struct HandlerResult {
    bool ok = true;
    QByteArray body;       // the response (ok) 
    QByteArray errorType;  // "Function.Reason" (not ok)
    QString errorMessage;
};

// Decodes an event, tells its shape apart and runs the matching handler. It never throws and
// never ends the process: a malformed or unknown event is a Function.* error for the caller; an
// HTTP API event always gets a response object.
class EventHandler {
    Q_DECLARE_TR_FUNCTIONS(EventHandler)
public:
    EventHandler(LambdaServices &services, JsonLog &log) : m_services(services), m_log(log) {}
    HandlerResult handle(const aws::Invocation &invocation);

private:
    HandlerResult dispatch(const aws::Invocation &invocation);

    LambdaServices &m_services;
    JsonLog &m_log;
};

} // namespace mt::lambda
