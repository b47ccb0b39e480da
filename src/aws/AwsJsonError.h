#pragma once

#include "net/HttpTransport.h"

#include <QString>

namespace mt::aws {

// The error of a JSON-protocol AWS service (SSM, Lambda): `{"__type": ..., "message": ...}` and
// the x-amzn-ErrorType header. The type is reduced to its short name: the part after the last '#'
// and before the first ':' ("com.amazonaws.ssm#ParameterNotFound:http://..." → "ParameterNotFound").
struct AwsJsonError {
    QString type;
    QString message;
};

AwsJsonError parseAwsJsonError(const net::HttpAnswer &answer);
QString shortErrorType(const QString &type);

} // namespace mt::aws
