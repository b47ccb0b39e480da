#include "lambda/ObjectKeys.h"

namespace mt::lambda {

QString ObjectKeys::thumbnailKey(const QString &prefix, const QString &key)
{
    QString below = key.startsWith(prefix) ? key.mid(prefix.size()) : key;
    while (below.startsWith(u'/'))
        below.remove(0, 1);
    return triageFolder(prefix) + QStringLiteral("thumbs/") + below + QStringLiteral(".jpg");
}

QString ObjectKeys::preparedFolder(const QString &key)
{
    const qsizetype slash = key.lastIndexOf(u'/');
    const QString dir = slash >= 0 ? key.left(slash + 1) : QString();
    return dir + QStringLiteral("_triage/prepared/") + key.mid(slash + 1) + u'/';
}

bool ObjectKeys::isTriageArtifact(const QString &key, const QString &prefix)
{
    if (key.startsWith(triageFolder(prefix)))
        return true;
    const QStringList segments = key.split(u'/');
    // The last segment is the file's own name; only folders mark artifacts.
    for (qsizetype i = 0; i + 1 < segments.size(); ++i)
        if (segments[i] == QLatin1String("_triage") || segments[i].endsWith(QLatin1String("_triage")))
            return true;
    return false;
}

Result<QString> ObjectKeys::localRelativePath(const QString &key)
{
    auto refuse = [](const QString &why) { return makeError(Error::Code::InvalidArgument, why); };
    if (key.isEmpty())
        return refuse(tr("empty key"));
    if (key.toUtf8().size() > kMaxKeyBytes)
        return refuse(tr("key longer than %1 bytes").arg(kMaxKeyBytes));
    if (key.startsWith(u'/') || key.startsWith(u'\\'))
        return refuse(tr("absolute key"));
    for (const QChar c : key) {
        // C0, DEL and C1 controls; also the replacement character of undecodable UTF-8.
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0) || c == QChar::ReplacementCharacter)
            return refuse(tr("control character in key"));
    }
    const QStringList segments = key.split(u'/');
    for (const QString &s : segments) {
        if (s == QLatin1String("..") || s == QLatin1String("."))
            return refuse(tr("'%1' segment in key").arg(s));
        if (s.isEmpty())
            return refuse(tr("empty segment in key"));
        if (s.toUtf8().size() > kMaxSegmentBytes)
            return refuse(tr("a name in the key is longer than %1 bytes").arg(kMaxSegmentBytes));
    }
    return key;
}

} // namespace mt::lambda
