#pragma once

#include <QList>
#include <QString>

#include <map>

namespace mt {

struct ExpectedItem {
    int number = 0;   // 1..N within the request
    QString fileName;
};

struct ParsedVerdict {
    bool keep = true;
    QString reason;
};

struct ParsedAnswer {
    bool foundJson = false;
    std::map<int, ParsedVerdict> verdicts; // by request number; only items matched exactly once
    QList<int> missing;                    // numbers without exactly one matching verdict
};

// Reads the model's answer. Tolerant about the wrapping (code fences, prose around the JSON, an
// object holding the array), strict about the content: a verdict counts only when its number and
// file name both match an item of the request, and an item named twice counts as missing. Nothing
// is guessed.
ParsedAnswer parseVerdicts(const QString &text, const QList<ExpectedItem> &expected);

} // namespace mt
