#include "lambda/PreparedVideoPreparer.h"

#include <QFileInfo>

namespace mt::lambda {

PreparedVideoPreparer::PreparedVideoPreparer(QHash<QString, QString> prepared, std::shared_ptr<const VideoPreparer> fallback)
    : m_prepared(std::move(prepared)), m_fallback(std::move(fallback))
{
}

Result<PreparedMedia> PreparedVideoPreparer::prepare(const MediaItem &item, const QString &workDir,
                                                     const CancellationToken &token) const
{
    const auto it = m_prepared.constFind(item.path);
    if (it != m_prepared.constEnd() && QFileInfo(*it).size() > 0) {
        PreparedMedia out;
        out.mimeType = QStringLiteral("video/webm");
        out.uploadPath = *it;
        out.bytes = QFileInfo(*it).size();
        return out;
    }
    return m_fallback->prepare(item, workDir, token);
}

} // namespace mt::lambda
