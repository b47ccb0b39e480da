// parseVerdicts reads whatever text the model answered; a verdict may only ever land on an item
// of the request, never on a guessed one.
#include "FuzzSupport.h"
#include "triage/ResponseParser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QList<mt::ExpectedItem> expected = {
        {1, QStringLiteral("IMG_1.jpg")}, {2, QStringLiteral("IMG_2.jpg")}, {3, QStringLiteral("clip.mov")}};
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const mt::ParsedAnswer answer = mt::parseVerdicts(text, expected);
    for (const auto &[number, verdict] : answer.verdicts) {
        if (number < 1 || number > 3 || answer.missing.contains(number))
            abort();
        (void)verdict;
    }
    if (qsizetype(answer.verdicts.size()) + answer.missing.size() != expected.size())
        abort();
    return 0;
}
