#pragma once

#include "triage/MediaPreparer.h"

#include <QHash>
#include <QString>

#include <memory>

namespace mt::lambda {

// Videos whose compressed WebM was already made by an upload notification (and downloaded next to
// them) are sent as that file; the others are compressed as usual. Compression is the expensive
// part of a video's triage, so fanning it out over the upload Lambdas is what makes big batches fit.
class PreparedVideoPreparer : public VideoPreparer {
public:
    // `prepared`: local path of the original → local path of its WebM.
    PreparedVideoPreparer(QHash<QString, QString> prepared, std::shared_ptr<const VideoPreparer> fallback);
    Result<PreparedMedia> prepare(const MediaItem &item, const QString &workDir,
                                  const CancellationToken &token) const override;

private:
    QHash<QString, QString> m_prepared;
    std::shared_ptr<const VideoPreparer> m_fallback;
};

} // namespace mt::lambda
