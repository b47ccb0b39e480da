#pragma once

// Starts s3rver (the npm fake S3 installed by packaging/install-deps.sh into tests/servers) on a free
// loopback port with its own temporary data folder, and stops it again in the destructor. It runs
// through tests/servers/s3rver-strict.js, which adds the conditional write S3 has (PutObject with
// `If-None-Match: *`: 412 when the key exists, 409 while another such write of it is under way);
// setConditionalWrites(false) before start() gives a store that ignores the header instead.
//
//     mt::test::S3rver server;
//     if (!mt::test::S3rver::installed())
//         QSKIP(qPrintable(mt::test::S3rver::notInstalledReason()));
//     QVERIFY2(server.start({"bucket1"}), qPrintable(server.errorString()));
//     server.endpoint(); // http://127.0.0.1:<port>, for AWS_ENDPOINT_URL_S3 / AwsConfig::make
//
// s3rver accepts any V4 signature from access key S3RVER (secret S3RVER) and does not check it.
// Quirks found with 3.7.1 (besides aws-sigv4-s3-ssm.md §6.4): a key segment longer than the file
// system allows (255 bytes) crashes the server (ENAMETOOLONG); keys with an empty segment ("a//b")
// get 404; a ranged GET of an empty object promises one byte and never sends it.

#include <QByteArray>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <memory>

namespace mt::test {

class S3rver {
public:
    static QString script() { return QStringLiteral(MT_SOURCE_DIR "/tests/servers/s3rver-strict.js"); }
    static QString package() { return QStringLiteral(MT_SOURCE_DIR "/tests/servers/node_modules/s3rver/package.json"); }

    static bool installed()
    {
        return QFileInfo::exists(package()) && !QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty();
    }
    static QString notInstalledReason()
    {
        return QStringLiteral("s3rver is not installed (%1, needs node on PATH): run packaging/install-deps.sh")
            .arg(package());
    }

    S3rver() = default;
    S3rver(const S3rver &) = delete;
    S3rver &operator=(const S3rver &) = delete;
    ~S3rver() { stop(); }

    // Off: the store ignores If-None-Match on PUT and overwrites, like one without conditional writes.
    void setConditionalWrites(bool on) { m_conditionalWrites = on; }

    // For benchmarks that account for the server's CPU time.
    qint64 processId() const { return m_process ? m_process->processId() : 0; }

    // Creates the buckets at start; waits until the port accepts connections.
    bool start(const QStringList &buckets = {}, int timeoutMs = 20000)
    {
        stop();
        if (!installed()) {
            m_error = notInstalledReason();
            return false;
        }
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid()) {
            m_error = QStringLiteral("cannot create a temporary data folder for s3rver");
            return false;
        }
        QStringList args{script(), QStringLiteral("-d"), m_dir->path(), QStringLiteral("-a"), QStringLiteral("127.0.0.1"),
                         QStringLiteral("-p"), QStringLiteral("0"), QStringLiteral("-s")};
        for (const QString &bucket : buckets)
            args << QStringLiteral("--configure-bucket") << bucket;
        if (!m_conditionalWrites)
            args << QStringLiteral("--ignore-conditional-writes");
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        // s3rver makes its ListObjectsV2 continuation tokens with DES, which Node >= 17 (OpenSSL 3)
        // only offers through the legacy provider; without it every truncated listing is a 500.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QString nodeOptions = environment.value(QStringLiteral("NODE_OPTIONS"));
        if (!nodeOptions.contains(QLatin1String("--openssl-legacy-provider")))
            environment.insert(QStringLiteral("NODE_OPTIONS"),
                               (nodeOptions + QStringLiteral(" --openssl-legacy-provider")).trimmed());
        m_process->setProcessEnvironment(environment);
        m_process->start(QStandardPaths::findExecutable(QStringLiteral("node")), args);
        if (!m_process->waitForStarted(timeoutMs)) {
            m_error = QStringLiteral("s3rver did not start: %1").arg(m_process->errorString());
            m_process.reset();
            return false;
        }

        const QDeadlineTimer deadline(timeoutMs);
        static const QRegularExpression listening(QStringLiteral("listening on ([0-9.]+):([0-9]+)"));
        QByteArray output;
        while (!deadline.hasExpired()) {
            if (m_process->state() != QProcess::Running) {
                output += m_process->readAll();
                m_error = QStringLiteral("s3rver exited at start: %1").arg(QString::fromUtf8(output).trimmed());
                m_process.reset();
                return false;
            }
            m_process->waitForReadyRead(100);
            output += m_process->readAll();
            const auto match = listening.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                m_port = match.captured(2).toUShort();
                break;
            }
        }
        if (m_port == 0) {
            m_error = QStringLiteral("s3rver printed no port within %1 ms: %2").arg(timeoutMs).arg(QString::fromUtf8(output));
            stop();
            return false;
        }
        while (!deadline.hasExpired()) {
            QTcpSocket probe;
            probe.connectToHost(QStringLiteral("127.0.0.1"), m_port);
            if (probe.waitForConnected(500))
                return true;
            QThread::msleep(50);
        }
        m_error = QStringLiteral("s3rver does not accept connections on port %1").arg(m_port);
        stop();
        return false;
    }

    // Kills the server at once (also used to simulate an outage mid-run).
    void stop()
    {
        if (m_process) {
            m_process->kill();
            m_process->waitForFinished(5000);
            m_process.reset();
        }
        m_port = 0;
    }

    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    quint16 port() const { return m_port; }
    QUrl endpoint() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    QString dataDir() const { return m_dir ? m_dir->path() : QString(); }
    QString errorString() const { return m_error; }

    // Backdates an object, as if written at `when`: s3rver's LastModified is its file's mtime.
    bool setLastModified(const QString &bucket, const QString &key, const QDateTime &when) const
    {
        QFile object(QDir(dataDir()).filePath(bucket + u'/' + key + QStringLiteral("._S3rver_object")));
        return object.open(QIODevice::ReadWrite) && object.setFileTime(when, QFileDevice::FileModificationTime);
    }

    // The built-in account s3rver accepts.
    static QByteArray accessKeyId() { return QByteArrayLiteral("S3RVER"); }
    static QByteArray secretAccessKey() { return QByteArrayLiteral("S3RVER"); }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
    bool m_conditionalWrites = true;
};

} // namespace mt::test
