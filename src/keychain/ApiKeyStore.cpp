#include "keychain/ApiKeyStore.h"

#include "gemini/GeminiConfig.h"

#include <QEventLoop>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace mt::gemini {

namespace {

const QString kService = QStringLiteral("MediaTriage");
const QString kEntry = QStringLiteral("gemini-api-key");

// Runs a keychain job to completion. Headless systems fail within milliseconds; the timeout only
// guards against a keychain daemon that never answers.
template <typename Job>
bool runJob(Job &job)
{
    bool finished = false;
    job.setAutoDelete(false);
    job.setKey(kEntry);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] { finished = true; loop.quit(); });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    job.start();
    if (!finished)
        loop.exec();
    return finished;
}

} // namespace

QString ApiKeyStore::fromEnvironment()
{
    return GeminiConfig::fromEnvironment().apiKey;
}

Result<QString> ApiKeyStore::readKeychain()
{
    QKeychain::ReadPasswordJob job(kService);
    if (!runJob(job))
        return makeError(Error::Code::Timeout, tr("The system keychain did not answer."));
    if (job.error() == QKeychain::EntryNotFound)
        return QString();
    if (job.error() != QKeychain::NoError)
        return makeError(Error::Code::Io, tr("The system keychain is not available: %1").arg(job.errorString()));
    return job.textData().trimmed();
}

Status ApiKeyStore::writeKeychain(const QString &key)
{
    QKeychain::WritePasswordJob job(kService);
    job.setTextData(key.trimmed());
    if (!runJob(job))
        return makeError(Error::Code::Timeout, tr("The system keychain did not answer."));
    if (job.error() != QKeychain::NoError)
        return makeError(Error::Code::Io, tr("Could not save the key in the system keychain: %1").arg(job.errorString()));
    return Done{};
}

Status ApiKeyStore::removeFromKeychain()
{
    QKeychain::DeletePasswordJob job(kService);
    if (!runJob(job))
        return makeError(Error::Code::Timeout, tr("The system keychain did not answer."));
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return makeError(Error::Code::Io, tr("Could not remove the key from the system keychain: %1").arg(job.errorString()));
    return Done{};
}

QString ApiKeyStore::lookup()
{
    if (QString key = fromEnvironment(); !key.isEmpty())
        return key;
    auto stored = readKeychain();
    return stored ? *stored : QString();
}

} // namespace mt::gemini
