#include "aws/S3Wire.h"

#include "aws/AwsConfig.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QLocale>
#include <QXmlStreamReader>

namespace mt::aws::s3 {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("S3", text); }

bool isLowerAlnum(QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'); }

Error corrupt(const QString &what, const QXmlStreamReader &xml)
{
    return makeError(Error::Code::Corrupt, tr("unreadable %1 from S3: %2 (line %3)")
                                               .arg(what, xml.errorString())
                                               .arg(xml.lineNumber()));
}

} // namespace

bool isVirtualHostable(const QString &bucket)
{
    if (bucket.size() < 3 || bucket.size() > 63 || !isLowerAlnum(bucket.front()) || !isLowerAlnum(bucket.back()))
        return false;
    for (const QChar c : bucket)
        if (!isLowerAlnum(c) && c != u'-')
            return false;
    return true;
}

Address address(const QString &bucket, const QString &key, const QByteArray &region, const QUrl &endpointOverride)
{
    Address a;
    const QByteArray keyBytes = key.toUtf8();
    const QByteArray domain = awsDomain(region);
    if (!endpointOverride.isEmpty() || !isVirtualHostable(bucket)) {
        a.endpoint = !endpointOverride.isEmpty()
            ? endpointOverride
            : QUrl(QStringLiteral("https://s3.%1.%2").arg(QString::fromLatin1(region), QString::fromLatin1(domain)));
        a.path = '/' + bucket.toUtf8() + (keyBytes.isEmpty() ? QByteArray() : '/' + keyBytes);
        return a;
    }
    a.endpoint = QUrl(QStringLiteral("https://%1.s3.%2.%3").arg(bucket, QString::fromLatin1(region), QString::fromLatin1(domain)));
    a.path = '/' + keyBytes;
    a.virtualHosted = true;
    return a;
}

Status validateBucket(const QString &bucket)
{
    if (bucket.isEmpty())
        return makeError(Error::Code::InvalidArgument, tr("no S3 bucket name given"));
    if (bucket.size() > 255)
        return makeError(Error::Code::InvalidArgument, tr("S3 bucket name is too long (%1 characters)").arg(bucket.size()));
    for (const QChar c : bucket) {
        if (c == u'/' || c.isSpace() || c.category() == QChar::Other_Control || c.unicode() > 0x7e)
            return makeError(Error::Code::InvalidArgument, tr("'%1' is not a valid S3 bucket name").arg(bucket));
    }
    return Done{};
}

Status validateKey(const QString &key)
{
    if (key.isEmpty())
        return makeError(Error::Code::InvalidArgument, tr("an S3 object key cannot be empty"));
    const qsizetype bytes = key.toUtf8().size();
    if (bytes > kMaxKeyBytes) {
        return makeError(Error::Code::InvalidArgument,
                         tr("S3 object key is %1 bytes long; S3 allows at most %2").arg(bytes).arg(kMaxKeyBytes));
    }
    for (const QStringView segment : QStringView(key).split(u'/')) {
        if (segment == u"." || segment == u"..") {
            return makeError(Error::Code::InvalidArgument,
                             tr("S3 object key '%1' has a '%2' segment, which cannot be addressed reliably")
                                 .arg(key, segment.toString()));
        }
    }
    return Done{};
}

QByteArray contentMd5(const QByteArray &body) { return QCryptographicHash::hash(body, QCryptographicHash::Md5).toBase64(); }

bool isXmlSafe(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= text.size() || !QChar::isLowSurrogate(text.at(i + 1).unicode()))
                return false;
            ++i;
            continue;
        }
        if (QChar::isLowSurrogate(c))
            return false;
        if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD)
            return false;
        if (c == 0xFFFE || c == 0xFFFF)
            return false;
    }
    return true;
}

QByteArray xmlEscape(const QString &text)
{
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\r': out += "&#13;"; break; // a literal CR would be normalised to LF by the parser
        default: out += c;
        }
    }
    return out;
}

QByteArray deleteObjectsBody(const QStringList &keys, bool quiet)
{
    // Same bytes as the Content-MD5 example of the reference (no namespace: S3 accepts both).
    QByteArray body = R"(<?xml version="1.0" encoding="UTF-8"?><Delete>)";
    if (quiet)
        body += "<Quiet>true</Quiet>";
    for (const QString &key : keys)
        body += "<Object><Key>" + xmlEscape(key) + "</Key></Object>";
    body += "</Delete>";
    return body;
}

Result<ListPage> parseListObjectsV2(const QByteArray &data)
{
    QXmlStreamReader xml(data);
    if (!xml.readNextStartElement())
        return corrupt(tr("listing"), xml);
    if (xml.name() != u"ListBucketResult") {
        return makeError(Error::Code::Corrupt,
                         tr("S3 answered a listing with <%1> instead of <ListBucketResult>").arg(xml.name().toString()));
    }
    ListPage page;
    while (xml.readNextStartElement()) {
        const auto name = xml.name();
        if (name == u"IsTruncated") {
            page.truncated = xml.readElementText().trimmed() == u"true";
        } else if (name == u"NextContinuationToken") {
            page.nextContinuationToken = xml.readElementText().toUtf8();
        } else if (name == u"Contents") {
            S3ObjectInfo info;
            bool sizeOk = true;
            while (xml.readNextStartElement()) {
                const auto field = xml.name();
                if (field == u"Key")
                    info.key = xml.readElementText();
                else if (field == u"Size")
                    info.size = xml.readElementText().trimmed().toLongLong(&sizeOk);
                else if (field == u"ETag")
                    info.etag = xml.readElementText().toUtf8();
                else if (field == u"LastModified")
                    info.lastModified = parseIsoDate(xml.readElementText());
                else
                    xml.skipCurrentElement();
            }
            if (!xml.hasError() && (info.key.isEmpty() || !sizeOk))
                return makeError(Error::Code::Corrupt, tr("S3 listing has an entry without a key or size"));
            page.objects.push_back(std::move(info));
        } else {
            xml.skipCurrentElement();
        }
    }
    if (xml.hasError())
        return corrupt(tr("listing"), xml);
    return page;
}

Result<DeleteResult> parseDeleteResult(const QByteArray &data)
{
    QXmlStreamReader xml(data);
    if (!xml.readNextStartElement())
        return corrupt(tr("delete result"), xml);
    if (xml.name() != u"DeleteResult") {
        return makeError(Error::Code::Corrupt,
                         tr("S3 answered a batch delete with <%1> instead of <DeleteResult>").arg(xml.name().toString()));
    }
    DeleteResult result;
    while (xml.readNextStartElement()) {
        const bool deleted = xml.name() == u"Deleted";
        const bool error = xml.name() == u"Error";
        if (!deleted && !error) {
            xml.skipCurrentElement();
            continue;
        }
        QString key, code, message;
        while (xml.readNextStartElement()) {
            if (xml.name() == u"Key")
                key = xml.readElementText();
            else if (xml.name() == u"Code")
                code = xml.readElementText();
            else if (xml.name() == u"Message")
                message = xml.readElementText();
            else
                xml.skipCurrentElement();
        }
        if (deleted)
            result.deleted << key;
        else
            result.errors.append({key, message.isEmpty() ? code : code + QStringLiteral(": ") + message});
    }
    if (xml.hasError())
        return corrupt(tr("delete result"), xml);
    return result;
}

ErrorDocument parseError(const QByteArray &data)
{
    ErrorDocument doc;
    QXmlStreamReader xml(data);
    if (!xml.readNextStartElement() || xml.name() != u"Error")
        return doc;
    while (xml.readNextStartElement()) {
        if (xml.name() == u"Code")
            doc.code = xml.readElementText().trimmed();
        else if (xml.name() == u"Message")
            doc.message = xml.readElementText().trimmed();
        else
            xml.skipCurrentElement();
    }
    return doc;
}

QDateTime parseHttpDate(const QByteArray &value)
{
    // "Fri, 27 Nov 2026 12:39:05 GMT"; RFC2822Date in Qt also accepts the GMT zone name.
    QDateTime t = QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
    if (!t.isValid()) {
        const QDateTime local = QLocale::c().toDateTime(QString::fromLatin1(value.trimmed()),
                                                        QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        t = QDateTime(local.date(), local.time(), Qt::UTC);
    }
    return t.isValid() ? t.toUTC() : QDateTime();
}

QDateTime parseIsoDate(const QString &value)
{
    const QDateTime t = QDateTime::fromString(value.trimmed(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

S3Head headFromHeaders(const QHash<QByteArray, QByteArray> &headers)
{
    S3Head head;
    head.size = headers.value("content-length").trimmed().toLongLong();
    head.etag = headers.value("etag").trimmed();
    head.contentType = headers.value("content-type").trimmed();
    head.lastModified = parseHttpDate(headers.value("last-modified"));
    static const QByteArray prefix = "x-amz-meta-";
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        if (it.key().startsWith(prefix))
            head.metadata.insert(it.key().mid(prefix.size()), it.value().trimmed());
    return head;
}

} // namespace mt::aws::s3
