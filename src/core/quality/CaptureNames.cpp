#include "quality/CaptureNames.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace mt::quality {

namespace {

QString baseName(const QString &fileName)
{
    // completeBaseName: "IMG_1.tar.jpg" keeps "IMG_1.tar"; a name without a dot stays whole.
    return QFileInfo(fileName).completeBaseName().toCaseFolded();
}

const QRegularExpression &copySuffix()
{
    // " (1)", " copy", " copy 2", " - copy", " - copy (2)", "(1)" as browsers and file managers add them.
    static const QRegularExpression re(QStringLiteral(R"(^(.+?)(?:\s*\(\d+\)|\s+-?\s*copy(?:\s*\(?\d+\)?)?)+$)"));
    return re;
}

const QRegularExpression &copyPrefix()
{
    static const QRegularExpression re(QStringLiteral(R"(^copy(?: \(\d+\))? of (.+)$)"));
    return re;
}

} // namespace

QString CaptureNames::stem(const QString &fileName)
{
    QString name = baseName(fileName);
    if (const auto m = copyPrefix().match(name); m.hasMatch())
        name = m.captured(1);
    if (const auto m = copySuffix().match(name); m.hasMatch())
        name = m.captured(1);
    return name;
}

bool CaptureNames::isCopyName(const QString &fileName)
{
    static const QRegularExpression whatsApp(QStringLiteral(R"(-wa\d{4}$)"));
    const QString name = baseName(fileName);
    return stem(fileName) != name || whatsApp.match(name).hasMatch();
}

QString CaptureNames::editedOriginalStem(const QString &fileName)
{
    static const QRegularExpression apple(QStringLiteral(R"(^img_e(\d{4,})$)"));
    static const QRegularExpression google(QStringLiteral(R"(^(.+?)-edited(?:\(\d+\))?$)"));
    const QString name = stem(fileName);
    if (const auto m = apple.match(name); m.hasMatch())
        return QStringLiteral("img_") + m.captured(1);
    if (const auto m = google.match(name); m.hasMatch())
        return m.captured(1);
    return {};
}

QString CaptureNames::burstKey(const QString &fileName)
{
    static const QRegularExpression google(QStringLiteral(R"(_burst(\d{14,}))"));
    static const QRegularExpression samsung(QStringLiteral(R"(^(\d{8}_\d{6})_(?:burst)?\d{2,3}$)"));
    const QString name = stem(fileName);
    if (const auto m = google.match(name); m.hasMatch())
        return QStringLiteral("burst:") + m.captured(1);
    if (const auto m = samsung.match(name); m.hasMatch())
        return QStringLiteral("burst:") + m.captured(1);
    return {};
}

} // namespace mt::quality
